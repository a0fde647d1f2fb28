import { ledBoardContract } from './testing/led-board-contract';
import { hardwareRig, memoryRig, ptyRig } from './testing/rigs';
import { MODBUS_LIKE_PROFILE } from './frame-profile';

ledBoardContract('simulator over a memory link', memoryRig());
ledBoardContract('simulator over a memory link, 3-byte chunks', memoryRig({ chunkSize: 3 }));
ledBoardContract('simulator over a memory link, modbus-like profile', memoryRig({ profile: MODBUS_LIKE_PROFILE }));
ledBoardContract('simulator over a socat pty pair, SerialTransport 9600', ptyRig());
ledBoardContract('real hardware on HALL_TEST_RS485_PORT', hardwareRig());
