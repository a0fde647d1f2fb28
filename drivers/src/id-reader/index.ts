export * from './sam-frame';
export * from './sam-status';
export * from './id-tables';
export * from './id-card-data';
export * from './id-text';
export * from './id-card-reader';
export * from './simulated-id-card-reader';
export * from './demo-persons';
