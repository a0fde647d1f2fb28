import { evaluatorContract } from './testing/evaluator-contract';
import { hardwareRig, memoryRig, ptyRig } from './testing/rigs';
import { MODBUS_LIKE_PROFILE } from './frame-profile';

evaluatorContract('simulator over a memory link', memoryRig());
evaluatorContract('simulator over a memory link, modbus-like profile', memoryRig({ profile: MODBUS_LIKE_PROFILE }));
evaluatorContract('simulator over a socat pty pair, SerialTransport 9600', ptyRig());
evaluatorContract('real hardware on HALL_TEST_RS485_PORT', hardwareRig());
