export { HallDevices } from './hall-devices';
export { DeviceManager, terminalOf, counterOf, type DeviceManagerOptions, type DeviceListView, type SwipedCard, type AgentLink } from './device-manager';
export { DeviceRuntime, deviceSignature, type DeviceRuntimeOptions } from './device-runtime';
export { SimulateAction, simulatorState, type SimHandle } from './simulators';
export { ticketPrintJob, formatIssuedAt } from './print-job';
export { DEFAULT_BACKOFF, type Backoff } from './link-supervisor';
