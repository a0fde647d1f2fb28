/** The device manager as the HTTP and socket edges see it. */
import type { CreateDeviceRequest, Device, PatchDeviceRequest, Result, TestPrintResponse } from '@hall/protocol';

export interface DeviceView {
  id: string;
  kind: Device['kind'];
  name: string;
  transport: Device['transport'];
  attachedTo: Device['attachedTo'];
  address: number | null;
  profile: string | null;
  /** Driver options (paper width, polling, HID framing, runsOn…): what the admin console edits. */
  options?: Record<string, unknown>;
  status: 'online' | 'offline' | 'error';
  detail: string | null;
  /** Hall time since which `status` holds (its last change seen by this run); null before the first. */
  since?: string | null;
}

export interface DevicePort {
  list(): DeviceView[];
  create(req: CreateDeviceRequest): Promise<Result<DeviceView>>;
  remove(id: string): Promise<Result<null>>;
  /** Changes a device (not its kind); it is reopened with the new settings. */
  update(id: string, patch: PatchDeviceRequest): Promise<Result<DeviceView>>;
  /** Prints a test slip on a printer (`at`: the hall time printed on it); answers once it came out or failed. */
  testPrint(id: string, at: string): Promise<Result<TestPrintResponse>>;
}
