/**
 * What every device driver shares, so the hall server's device manager can hold them alike.
 */
export type DeviceStatus = 'online' | 'offline' | 'error';

export interface DeviceHealth {
  status: DeviceStatus;
  /** Why, in plain words for the admin (paper out, cover open, port gone…); null when online. */
  detail: string | null;
}

export interface DeviceDriverEvents {
  health: [health: DeviceHealth];
}

/**
 * A driver over one `Transport`. `start()` never rejects because the device is missing: it
 * reports `offline` and the caller (device manager) decides when to retry. A driver must
 * survive its transport closing and re-opening (the `open` event) without being rebuilt.
 */
export interface DeviceDriver {
  readonly health: DeviceHealth;
  on(event: 'health', listener: (health: DeviceHealth) => void): unknown;
  off(event: 'health', listener: (health: DeviceHealth) => void): unknown;
  start(): Promise<void>;
  stop(): Promise<void>;
}
