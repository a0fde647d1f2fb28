export * from './device';
export * from './transport';
export * from './printer';
export * from './id-reader';
export * from './rs485';
export * from './scanner';
export * from './device-guess';
export * from './device-probe';
