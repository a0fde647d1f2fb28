/** The device manager as the HTTP and socket edges see it. */
import type { CreateDeviceRequest, Device, Result } from '@hall/protocol';

export interface DeviceView {
  id: string;
  kind: Device['kind'];
  name: string;
  transport: Device['transport'];
  attachedTo: Device['attachedTo'];
  address: number | null;
  profile: string | null;
  status: 'online' | 'offline' | 'error';
  detail: string | null;
}

export interface DevicePort {
  list(): DeviceView[];
  create(req: CreateDeviceRequest): Promise<Result<DeviceView>>;
  remove(id: string): Promise<Result<null>>;
}
