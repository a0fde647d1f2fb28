export * from './actor';
export * from './commands';
export * from './events';
