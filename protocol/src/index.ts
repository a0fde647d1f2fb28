export * from './errors';
export * from './hall-time';
export * from './id-number';
export * from './config';
export * from './domain';
export * from './api';
export * from './socket';
export * from './queue';
