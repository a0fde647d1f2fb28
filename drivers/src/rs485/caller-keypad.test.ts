import { callerKeypadContract } from './testing/caller-keypad-contract';
import { hardwareRig, memoryRig, ptyRig } from './testing/rigs';
import { MODBUS_LIKE_PROFILE } from './frame-profile';

callerKeypadContract('simulator over a memory link', memoryRig());
callerKeypadContract('simulator over a memory link, modbus-like profile', memoryRig({ profile: MODBUS_LIKE_PROFILE }));
callerKeypadContract('simulator over a socat pty pair, SerialTransport 9600', ptyRig());
callerKeypadContract('real hardware on HALL_TEST_RS485_PORT', hardwareRig());
