export * from './scan-line-decoder';
export * from './hid-keyboard';
export * from './transport-scanner';
export * from './serial-scanner';
export * from './hid-scanner';
export * from './simulated-scanner';
