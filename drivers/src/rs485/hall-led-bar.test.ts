import { hallLedBarContract } from './testing/hall-led-bar-contract';
import { hardwareRig, memoryRig, ptyRig } from './testing/rigs';
import { MODBUS_LIKE_PROFILE } from './frame-profile';

hallLedBarContract('simulator over a memory link', memoryRig());
hallLedBarContract('simulator over a memory link, modbus-like profile', memoryRig({ profile: MODBUS_LIKE_PROFILE }));
hallLedBarContract('simulator over a socat pty pair, SerialTransport 9600', ptyRig());
hallLedBarContract('real hardware on HALL_TEST_RS485_PORT', hardwareRig());
