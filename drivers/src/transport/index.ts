export * from './transport';
export * from './memory-transport';
export * from './serial-transport';
export * from './tcp-transport';
export * from './usb-file-transport';
export * from './hid-transport';
export * from './usb-bulk-transport';
export * from './device-discovery';
