export * from './device';
export * from './transport';
