/**
 * Frame-profile definitions, table-tested against bytes computed outside this code: the
 * published CRC-16/MODBUS check value (0x4B37 for "123456789") and frames built by hand from a
 * protocol sheet's rules (sums and XORs worked out in the comments).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getFrameProfile } from './built-in-profiles';
import { CallerKeypad } from './caller-keypad';
import { encodeFrame, FrameParser } from './frame-codec';
import { compileFrameProfile, KEYPAD_ECHO_DEFINITION, KEYPAD_ECHO_PROFILE, parseHexBytes, type FrameProfileDefinition } from './frame-profile-definition';
import type { KeypadKey } from './frame-profile';
import { Rs485Bus } from './rs485-bus';
import { createSimulatedRs485Link } from './simulated-rs485-bus';
import { ptyRig } from './testing/rigs';
import { waitFor } from './testing/wait-for';

const hex = (s: string): Buffer => Buffer.from(parseHexBytes(s) ?? []);

const base: FrameProfileDefinition = {
  name: 'vendor-x',
  header: 'FF',
  trailer: '',
  length: { bytes: 1, endian: 'big', counts: 'data' },
  addressBytes: 1,
  checksum: 'sum8',
  acks: true,
  commands: { show: { function: '01', text: 'gbk' }, clear: { function: '02' } },
};

function compiled(def: Partial<FrameProfileDefinition> & Record<string, unknown>) {
  const c = compileFrameProfile({ ...base, ...def });
  if (!c.ok) throw new Error(c.problems.join('; '));
  return c.profile;
}

describe('compileFrameProfile: frames against independently computed vectors', () => {
  const vectors: Array<{ name: string; def: Partial<FrameProfileDefinition>; address: number; func: number; data: string; frame: string }> = [
    {
      // CRC-16/MODBUS("123456789") = 0x4B37, the published check value; sent low byte first.
      name: 'crc16-modbus over ADDR..DATA, published check value, STX/ETX without a length',
      def: { header: '02', trailer: '03', length: null, checksum: 'crc16-modbus' },
      address: 0x31,
      func: 0x32,
      data: '33 34 35 36 37 38 39',
      frame: '02 31 32 33 34 35 36 37 38 39 37 4B 03',
    },
    {
      name: 'the same CRC sent high byte first',
      def: { header: '02', trailer: '03', length: null, checksum: 'crc16-modbus', checksumEndian: 'big' },
      address: 0x31,
      func: 0x32,
      data: '33 34 35 36 37 38 39',
      frame: '02 31 32 33 34 35 36 37 38 39 4B 37 03',
    },
    {
      // LEN = 2 data bytes; sum8 = 01+02+10+20+30 = 0x63.
      name: 'sum8, two-byte address, length counts data',
      def: { addressBytes: 2 },
      address: 0x0102,
      func: 0x10,
      data: '20 30',
      frame: 'FF 02 01 02 10 20 30 63',
    },
    {
      // LEN = 3 as two bytes little-endian; xor8 = 05^01^41^42^43 = 0x44.
      name: 'xor8, two-byte little-endian length, two-byte header, trailer',
      def: { header: '55 AA', trailer: '0D', length: { bytes: 2, endian: 'little', counts: 'data' }, checksum: 'xor8' },
      address: 0x05,
      func: 0x01,
      data: '41 42 43',
      frame: '55 AA 03 00 05 01 41 42 43 44 0D',
    },
    {
      // LEN = ADDR..DATA = 1+1+1 = 3, twice; sum8 = 03+01+0C = 0x10.
      name: 'keypad-echo: key call-next (0C) from keypad 3',
      def: KEYPAD_ECHO_DEFINITION,
      address: 3,
      func: 0x01,
      data: '0C',
      frame: 'FF 68 03 03 68 03 01 0C 10 16',
    },
    {
      // Digits 1, 2 then call: LEN = 1+1+3 = 5; sum8 = 03+01+01+02+0C = 0x13.
      name: 'keypad-echo: 1, 2, call-next from keypad 3 in one frame',
      def: KEYPAD_ECHO_DEFINITION,
      address: 3,
      func: 0x01,
      data: '01 02 0C',
      frame: 'FF 68 05 05 68 03 01 01 02 0C 13 16',
    },
    {
      name: 'no checksum',
      def: { checksum: 'none' },
      address: 9,
      func: 0x02,
      data: '',
      frame: 'FF 00 09 02',
    },
  ];

  for (const v of vectors) {
    it(v.name, () => {
      const profile = compiled(v.def);
      expect(encodeFrame(profile, { address: v.address, func: v.func, payload: hex(v.data) }).toString('hex')).toBe(hex(v.frame).toString('hex'));
      const got = new FrameParser(profile).push(hex(v.frame));
      expect(got).toEqual([{ type: 'frame', frame: { address: v.address, func: v.func, data: hex(v.data), raw: hex(v.frame) } }]);
    });
  }

  it('a corrupted checksum is a frame error, never a frame', () => {
    const results = new FrameParser(KEYPAD_ECHO_PROFILE).push(hex('FF 68 03 03 68 03 01 0C 11 16'));
    expect(results.map((r) => (r.type === 'error' ? r.error.code : r.type))).toEqual(['bad-checksum']);
  });

  it('maps commands, keys, acks and polling into the engine profile', () => {
    const p = compiled({
      acks: true,
      ack: { function: '06', timeoutMs: 300, retries: 1 },
      commands: { show: { function: '01', text: 'ascii' }, clear: { function: '02' }, key: { function: '10' } },
      keys: { '0x01': 'call-next', '2A': 'evaluate', '30': 'digit-0' },
    });
    expect(p.ack).toEqual({ func: 0x06, timeoutMs: 300, retries: 1 });
    expect(p.encoding).toBe('ascii');
    expect(p.functions).toMatchObject({ showText: 0x01, clear: 0x02, keyEvent: 0x10, poll: 0x7e, brightness: null, keypadDisplay: null });
    expect(p.keyCodes).toEqual({ 'call-next': 0x01, evaluate: 0x2a, 'digit-0': 0x30 });
    expect(compiled({ acks: false }).functions.poll).toBeNull();
  });

  it('compiles under an id of its own, keeping the name as the description', () => {
    const c = compileFrameProfile({ ...base, name: '某厂窗口屏' }, 'vendor-x-board');
    expect(c.ok && c.profile.name).toBe('vendor-x-board');
    expect(c.ok && c.profile.description).toBe('某厂窗口屏');
  });

  it('ships keypad-echo as a built-in profile', () => {
    expect(getFrameProfile('keypad-echo')).toBe(KEYPAD_ECHO_PROFILE);
  });
});

describe('compileFrameProfile: a bad definition names the field', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['not hex', { header: 'GG' }, 'header: must be hex bytes such as "AA" or "FF 68"'],
    ['half a byte', { trailer: 'A' }, 'trailer: must be hex bytes such as "AA" or "FF 68"'],
    ['length size', { length: { bytes: 3, endian: 'big', counts: 'data' } }, 'length.bytes: must be 1 or 2'],
    ['length counts', { length: { bytes: 1, endian: 'big', counts: 'frame' } }, "length.counts: must be 'data', 'address-to-data' or 'address-to-checksum'"],
    ['length repeat', { length: { bytes: 1, endian: 'big', counts: 'data', repeat: 3 } }, 'length.repeat: must be 1 or 2'],
    ['afterLength without a length', { length: null, trailer: '0D', afterLength: '68' }, 'afterLength: needs a length field'],
    ['keysAnyFunction', { keysAnyFunction: 'yes' }, 'keysAnyFunction: must be true or false'],
    ['no way to end a frame', { length: null, trailer: '' }, 'trailer: a frame without a length field needs a trailer to end it'],
    ['address width', { addressBytes: 3 }, 'addressBytes: must be 1 or 2'],
    ['checksum', { checksum: 'crc32' }, "checksum: must be 'none', 'sum8', 'xor8' or 'crc16-modbus'"],
    ['acks', { acks: 'yes' }, 'acks: must be true or false'],
    ['function code', { commands: { show: { function: '0102' }, clear: { function: '02' } } }, 'commands.show.function: must be 1 hex byte'],
    ['missing clear', { commands: { show: { function: '01' } } }, 'commands.clear: is required'],
    ['unknown command', { commands: { show: { function: '01' }, clear: { function: '02' }, dance: { function: '03' } } }, 'commands.dance: unknown command'],
    ['clashing codes', { commands: { show: { function: '01' }, clear: { function: '01' } } }, 'commands.clear.function: same code as commands.show.function'],
    ['ack clashes', { ack: { function: '01' } }, 'commands.show.function: same code as ack.function'],
    ['unknown key', { keys: { '01': 'dance' } }, 'keys.01: unknown key "dance"'],
    ['key twice', { keys: { '01': 'recall', '02': 'recall' } }, 'keys.02: "recall" already has a code'],
    ['unknown field', { colour: 'red' }, 'colour: unknown field'],
    ['name', { name: '' }, 'name: must be a string of 1..40 characters'],
  ];
  for (const [what, change, problem] of cases) {
    it(what, () => {
      const c = compileFrameProfile({ ...base, ...change });
      expect(c.ok).toBe(false);
      expect(c.ok ? [] : c.problems.join('\n')).toContain(problem);
    });
  }

  it('not an object', () => {
    expect(compileFrameProfile('keypad')).toEqual({ ok: false, problems: ['profile: must be an object'] });
  });
});

describe('keypad-echo over a bus: keys pushed unprompted, confirmed by echo', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanup = [];
  });

  async function rig() {
    const profile = KEYPAD_ECHO_PROFILE;
    const { host, sim } = await createSimulatedRs485Link({ profile });
    const simKeypad = sim.addKeypad(3);
    const bus = new Rs485Bus(host, { profile, reopenMs: null });
    const keypad = new CallerKeypad(bus, 3);
    const heard: Buffer[] = [];
    sim.on('frame', (f) => heard.push(f.raw));
    const keys: Array<[KeypadKey, string]> = [];
    keypad.on('key', (k, digits) => keys.push([k, digits]));
    await keypad.start();
    cleanup.push(async () => {
      await keypad.stop();
      await sim.stop();
    });
    return { sim, simKeypad, keypad, heard, keys };
  }

  it('a key is taken and its frame echoed back byte for byte', async () => {
    const { simKeypad, heard, keys } = await rig();
    simKeypad.press('call-next');
    await waitFor('key', () => keys.length === 1);
    expect(keys).toEqual([['call-next', '']]);
    await waitFor('echo', () => heard.length === 1);
    expect(heard[0]?.toString('hex')).toBe(hex('FF 68 03 03 68 03 01 0C 10 16').toString('hex'));
    await waitFor('confirmed', () => simKeypad.pendingEvents === 0);
  });

  it('digits typed before a key travel with it; evaluate and clear are keys of their own', async () => {
    const { simKeypad, keypad, keys } = await rig();
    let evaluated = 0;
    keypad.on('evaluate', () => evaluated++);
    for (const k of ['digit-1', 'digit-2', 'call-next', 'digit-9', 'clear', 'digit-2', 'transfer', 'evaluate'] as const) simKeypad.press(k);
    await waitFor('keys', () => keys.length === 2 && evaluated === 1);
    expect(keys).toEqual([
      ['call-next', '12'],
      ['transfer', '2'],
    ]);
    expect(keypad.digits).toBe('');
  });

  it('no text screen and no brightness on this profile: both answer unsupported', async () => {
    const { keypad } = await rig();
    expect(await keypad.display('A012 等3人')).toMatchObject({ delivered: false, reason: 'unsupported' });
    expect(await keypad.bus.send(3, KEYPAD_ECHO_PROFILE.functions.brightness, Uint8Array.of(5))).toEqual({ delivered: false, reason: 'unsupported' });
  });

  it('a keypad that missed the echo sends the key again and is echoed again', async () => {
    const { sim, simKeypad, heard, keys } = await rig();
    sim.ignoreNext(1); // the echo is lost on the way
    simKeypad.press('recall');
    await waitFor('key', () => keys.length === 1);
    // A keypad waits for the echo (100 ms here) before it sends the key again.
    await new Promise((r) => setTimeout(r, 100));
    expect(simKeypad.pendingEvents).toBe(1);
    simKeypad.resendPending();
    await waitFor('confirmed', () => simKeypad.pendingEvents === 0);
    expect(heard.length).toBe(1);
    // Without a sequence byte a resend cannot be told from a second press: both count.
    expect(keys).toEqual([
      ['recall', ''],
      ['recall', ''],
    ]);
  });
});

describe('keypad-echo over a socat pty pair (SerialTransport on both ends, 9600 8N1)', () => {
  it('the key frame and its echo cross a real serial link byte for byte', async () => {
    const rig = await ptyRig({ profile: KEYPAD_ECHO_PROFILE })();
    const sim = rig.sim;
    if (!sim) throw new Error('the pty rig has a simulator');
    const simKeypad = sim.addKeypad(3);
    const sent: string[] = [];
    const heard: string[] = [];
    const bus = new Rs485Bus(rig.host, rig.busOptions);
    const keypad = new CallerKeypad(bus, 3);
    const keys: string[] = [];
    keypad.on('key', (k, digits) => keys.push(`${digits}${k}`));
    sim.on('frame', (f) => heard.push(f.raw.toString('hex')));
    rig.host.on('data', (c) => sent.push(c.toString('hex')));
    try {
      await keypad.start();
      simKeypad.press('digit-7');
      simKeypad.press('call-next');
      await waitFor('keys', () => keys.length === 1);
      expect(keys).toEqual(['7call-next']);
      // digit 7 = 07: sum8 = 03+01+07 = 0x0B; call-next: 0x10 (see the vectors above).
      await waitFor('both echoes', () => heard.length === 2);
      expect(heard).toEqual([hex('FF 68 03 03 68 03 01 07 0B 16').toString('hex'), hex('FF 68 03 03 68 03 01 0C 10 16').toString('hex')]);
      expect(sent.join('')).toBe(heard.join(''));
      await waitFor('confirmed', () => simKeypad.pendingEvents === 0);
    } finally {
      await keypad.stop();
      await rig.close();
    }
  });
});

/**
 * The keypad protocol of a deployed public Chinese queue system: JackQChen/QueueSystem,
 * CallSystem/CallSystem/frmMain.cs (a C# host for hardware 呼叫器 and 评价器 on one RS-485 line).
 * Its reader: FF 68 LEN LEN 68 ADDR FUNC DATA CS 16, LEN = DATA length + 2, data bytes = LEN - 2;
 * every frame a keypad sends is written straight back (the echo); the key is the last data byte
 * (0C 呼叫, 0D 重呼, 0B 评价, 0E 取消, 12 等候/暂停, 13 转移), digits typed before it come first as
 * 00..09; the function byte of a key frame is not looked at. Its writers give the checksum:
 * SendBeep = FF 68 02 02 68 ADDR 03 (ADDR+3) 16; SendTicket = FF 68 08 08 68 ADDR 02 d1..d6 CS 16
 * with CS = (ADDR + 2 + d1 + … + d6) % 256: sum8 over ADDR..DATA.
 */
describe('keypad-echo is the keypad protocol of public queue-system code (JackQChen/QueueSystem)', () => {
  it("encodes the host's own frames byte for byte (SendBeep to keypad 3, SendTicket 012 to keypad 1)", () => {
    expect(encodeFrame(KEYPAD_ECHO_PROFILE, { address: 3, func: 0x03, payload: Buffer.alloc(0) }).toString('hex')).toBe(hex('FF 68 02 02 68 03 03 06 16').toString('hex'));
    const ticket = hex('FF 68 08 08 68 01 02 0A 0A 0A 00 01 02 24 16');
    expect(encodeFrame(KEYPAD_ECHO_PROFILE, { address: 1, func: 0x02, payload: hex('0A 0A 0A 00 01 02') }).toString('hex')).toBe(ticket.toString('hex'));
    expect(new FrameParser(KEYPAD_ECHO_PROFILE).push(ticket)).toEqual([{ type: 'frame', frame: { address: 1, func: 0x02, data: hex('0A 0A 0A 00 01 02'), raw: ticket } }]);
  });

  it('takes the key as the last data byte after the digits typed, whatever the function byte, and echoes the frame unchanged', async () => {
    const { host, sim } = await createSimulatedRs485Link({ profile: KEYPAD_ECHO_PROFILE });
    const bus = new Rs485Bus(host, { profile: KEYPAD_ECHO_PROFILE, reopenMs: null });
    const keypad = new CallerKeypad(bus, 3);
    const keys: string[] = [];
    keypad.on('key', (k, digits) => keys.push(`${digits}:${k}`));
    const heard: string[] = [];
    sim.on('frame', (f) => heard.push(f.raw.toString('hex')));
    await keypad.start();
    try {
      // 1, 2 then 呼叫 (0C): LEN = 2 + 3, CS = 03+01+01+02+0C = 0x13.
      const call12 = hex('FF 68 05 05 68 03 01 01 02 0C 13 16');
      // 转移 (13) with another function byte: CS = 03+05+13 = 0x1B.
      const transfer = hex('FF 68 03 03 68 03 05 13 1B 16');
      await sim.transport.write(call12);
      await waitFor('call', () => keys.length === 1);
      await sim.transport.write(transfer);
      await waitFor('transfer', () => keys.length === 2);
      expect(keys).toEqual(['12:call-next', ':transfer']);
      await waitFor('echoes', () => heard.length === 2);
      expect(heard).toEqual([call12.toString('hex'), transfer.toString('hex')]);
    } finally {
      await keypad.stop();
      await sim.stop();
    }
  });

  it('maps the public key codes', () => {
    expect(KEYPAD_ECHO_PROFILE.keyCodes).toMatchObject({ 'call-next': 0x0c, recall: 0x0d, evaluate: 0x0b, clear: 0x0e, pause: 0x12, transfer: 0x13, 'digit-0': 0x00, 'digit-9': 0x09 });
  });
});
