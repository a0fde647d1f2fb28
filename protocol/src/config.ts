/**
 * The hall's configuration: what `data/config.json` holds and what the admin edits.
 * Every schema here validates on load and at the HTTP edge; the queue engine reads the
 * parsed types only.
 */
import { z } from 'zod';

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
export const ClockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM (24-hour clock)');
export const DateString = z
  .string()
  .regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

export const HallLevel = z.enum(['county', 'township', 'village']);
export type HallLevel = z.infer<typeof HallLevel>;

/** A span of the day, `start` inclusive, `end` exclusive. */
export const TimeSpan = z
  .object({ start: ClockTime, end: ClockTime })
  .refine((s) => s.start < s.end, { message: 'start must be before end' });
export type TimeSpan = z.infer<typeof TimeSpan>;

/**
 * Opening hours: the day's span with an optional lunch break, on the listed weekdays
 * (0 = Sunday). `allDay` means every minute of every day (the demo hall; a 24-hour self-service
 * room) and ignores the calendar.
 */
export const Hours = z.object({
  open: TimeSpan,
  lunch: TimeSpan.nullable().default(null),
  weekdays: z.array(z.number().int().min(0).max(6)).max(7).default([1, 2, 3, 4, 5]),
  allDay: z.boolean().default(false),
});
export type Hours = z.infer<typeof Hours>;

/** Statutory holidays (法定节假日) and make-up workdays (调休), edited per year by the admin. */
export const Calendar = z.object({
  holidays: z.array(DateString).max(400).default([]),
  workdays: z.array(DateString).max(400).default([]),
});
export type Calendar = z.infer<typeof Calendar>;

/** The default ordering policy of DESIGN.md, with its knobs. */
export const OrderingPolicy = z.object({
  /** A ticket waiting longer than this goes first (rule 1). 0 disables aging. */
  agingMinutes: z.number().int().min(0).max(24 * 60).default(60),
  /** Priority tickets called per cycle while both wait (rule 3). */
  priorityShare: z.number().int().min(1).max(20).default(1),
  /** Normal tickets called per cycle while both wait (rule 3). */
  normalShare: z.number().int().min(0).max(20).default(2),
  /** A re-queued no-show goes this many places from the front (过号重排). */
  requeueOffset: z.number().int().min(0).max(1000).default(3),
  /** Recalls allowed for one call before the counter must mark no-show. */
  recallLimit: z.number().int().min(0).max(20).default(3),
  /** Age from which the ID card's birth date gives the elderly class. */
  elderlyAge: z.number().int().min(40).max(120).default(60),
  /** How many minutes before its slot an appointment counts as due (rule 2). */
  appointmentLeadMinutes: z.number().int().min(0).max(240).default(10),
});
export type OrderingPolicy = z.infer<typeof OrderingPolicy>;

/** A span of hall time that may cross midnight (22:00–07:00); `end` exclusive. */
export const QuietSpan = z.object({ start: ClockTime, end: ClockTime }).refine((s) => s.start !== s.end, { message: 'start and end must differ' });

/**
 * How calls are spoken. The hall server makes each call's audio itself (clips of a voice pack, or
 * espeak-ng); screens whose browser has a local Mandarin voice may speak it themselves instead.
 */
export const VoiceSettings = z.object({
  /** `digits`: A001 is said "A零零一"; `number`: "A一". */
  numberReading: z.enum(['digits', 'number']).default('digits'),
  /** A chime before each call. */
  chime: z.boolean().default(true),
  /** How many times the phrase is said per call. */
  repeat: z.number().int().min(1).max(5).default(2),
  /** `auto`: the browser's local zh-CN voice if it has one, else the server's audio; `server`: always the audio. */
  playback: z.enum(['auto', 'server']).default('auto'),
  /** Hall screens say nothing (set from the admin console). */
  muted: z.boolean().default(false),
  /** Spans of hall time in which screens stay silent (may cross midnight). */
  quietHours: z.array(QuietSpan).max(10).default([]),
  /** What a screen without a zone speaks: every call, or only those of counters without a zone. */
  unzonedScreens: z.enum(['all', 'unzoned']).default('all'),
});
export type VoiceSettings = z.infer<typeof VoiceSettings>;
/** PATCH of the voice settings: any subset, merged into the current ones. */
export const VoiceSettingsPatch = z
  .object({
    numberReading: z.enum(['digits', 'number']),
    chime: z.boolean(),
    repeat: z.number().int().min(1).max(5),
    playback: z.enum(['auto', 'server']),
    muted: z.boolean(),
    quietHours: z.array(QuietSpan).max(10),
    unzonedScreens: z.enum(['all', 'unzoned']),
  })
  .partial()
  .strict();
export type VoiceSettingsPatch = z.infer<typeof VoiceSettingsPatch>;

/** 电子监察 thresholds and the rectification deadline (hall settings). */
export const SupervisionSettings = z.object({
  /** A ticket's wait past its service's limit is yellow, past this multiple of it red. */
  waitRedFactor: z.number().min(1).max(10).default(2),
  /** A service time past the service's limit is yellow, past this multiple red. */
  serviceRedFactor: z.number().min(1).max(10).default(2),
  /** An open counter paused longer than this (minutes) in opening hours: yellow; twice: red. */
  pausedMinutes: z.number().int().min(1).max(600).default(15),
  /** A closed counter whose services have tickets waiting and no open counter (minutes): yellow; twice: red. */
  unattendedMinutes: z.number().int().min(1).max(600).default(10),
  /** A device offline or in error this long (minutes): yellow; twice: red. */
  deviceDownMinutes: z.number().int().min(1).max(600).default(5),
  /** 好差评 rectification deadline, in working days. */
  rectificationDays: z.number().int().min(1).max(90).default(15),
});
export type SupervisionSettings = z.infer<typeof SupervisionSettings>;

/** 预约服务: the hall's booking rules (every bookable service shares them). */
export const AppointmentSettings = z.object({
  /** How many days ahead a slot may be booked (today is day 0). */
  horizonDays: z.number().int().min(0).max(60).default(7),
  /** A slot stops taking bookings this many minutes before it starts (same-day cut-off). */
  cutoffMinutes: z.number().int().min(0).max(1440).default(30),
  /** Bookings one ID number may hold on one day, across services. */
  perIdPerDay: z.number().int().min(1).max(20).default(1),
  /** Bookings one ID number may hold at once (not yet checked in, cancelled or missed). */
  perIdOpen: z.number().int().min(1).max(50).default(3),
  /** A booking may be cancelled until this many minutes before its slot starts. */
  cancelMinutes: z.number().int().min(0).max(1440).default(30),
  /** The check-in window opens this many minutes before the slot starts… */
  checkInEarlyMinutes: z.number().int().min(0).max(240).default(30),
  /** …and closes this many minutes after the slot ends; after it the booking is a no-show (爽约). */
  checkInLateMinutes: z.number().int().min(0).max(240).default(0),
  /** A citizen who comes after the window on the same day: a normal ticket, or refused. */
  lateArrival: z.enum(['normal-ticket', 'refuse']).default('normal-ticket'),
  /** 爽约: this many no-shows within `noShowWindowDays` block the ID from booking for `blockDays`. */
  noShowLimit: z.number().int().min(1).max(50).default(3),
  noShowWindowDays: z.number().int().min(1).max(366).default(90),
  blockDays: z.number().int().min(1).max(366).default(30),
});
export type AppointmentSettings = z.infer<typeof AppointmentSettings>;

export const Hall = z.object({
  id: Id,
  name: z.string().min(1).max(60),
  level: HallLevel,
  /** IANA zone of the hall's day; `HALL_TZ` overrides it. */
  timezone: z.string().min(1).max(64).default('Asia/Shanghai'),
  hours: Hours,
  calendar: Calendar.default({ holidays: [], workdays: [] }),
  /** Spoken and shown call text. `{number}` `{counter}` `{counterName}` `{service}` are filled in. */
  phraseTemplate: z.string().min(1).max(120).default('请{number}号到{counter}号窗口办理'),
  policy: OrderingPolicy.default(OrderingPolicy.parse({})),
  voice: VoiceSettings.default(VoiceSettings.parse({})),
  supervision: SupervisionSettings.default(SupervisionSettings.parse({})),
  appointments: AppointmentSettings.default(AppointmentSettings.parse({})),
  /** Tickets one kiosk terminal may issue per minute (staff are not limited). */
  terminalTicketsPerMinute: z.number().int().min(1).max(10000).default(30),
  /** Where ticket QR codes point; `HALL_PUBLIC_URL` overrides it. */
  publicUrl: z.string().url().max(200).nullable().default(null),
  upstream: z
    .object({ url: z.string().url().max(200), token: z.string().min(1).max(200) })
    .nullable()
    .default(null),
});
export type Hall = z.infer<typeof Hall>;

/** A service's bookable slots; null on the service: it takes no bookings. */
export const ServiceAppointments = z.object({
  enabled: z.boolean().default(true),
  slotMinutes: z.number().int().min(5).max(240).default(30),
  /** Bookings per slot. */
  capacity: z.number().int().min(1).max(500).default(2),
  /** Bookable hours (weekdays, lunch break); null = the service's ticket hours, else the hall's. */
  hours: Hours.nullable().default(null),
});
export type ServiceAppointments = z.infer<typeof ServiceAppointments>;

export const Prefix = z.string().regex(/^[A-Z]{1,2}$/, 'one or two capital letters');

// ---- 统一事项清单 (the county catalogue; requests and views in catalogue.ts) ----

/** The 事项编码: stable across versions and halls. */
export const CatalogueCode = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "-" and "_" (a 事项编码)');
export type CatalogueCode = z.infer<typeof CatalogueCode>;

const Materials = z.array(z.string().min(1).max(100)).max(30);

export const CatalogueItemFields = {
  /** Same bounds as a service's name: an adopted service takes it as is. */
  name: z.string().min(1).max(40),
  category: z.string().min(1).max(20),
  /** 一次性告知: every document the citizen must bring. */
  materials: Materials,
  /** 限时办结, in working days (0 = on the spot). */
  completionWorkingDays: z.number().int().min(0).max(365),
  /** 电子监察 limits an adopting hall starts from. */
  waitLimitMinutes: z.number().int().min(1).max(1440),
  serviceLimitMinutes: z.number().int().min(1).max(1440),
};

export const CatalogueItem = z.object({
  code: CatalogueCode,
  ...CatalogueItemFields,
  materials: Materials.default([]),
  completionWorkingDays: CatalogueItemFields.completionWorkingDays.default(0),
  waitLimitMinutes: CatalogueItemFields.waitLimitMinutes.default(30),
  serviceLimitMinutes: CatalogueItemFields.serviceLimitMinutes.default(20),
  /** 1 at creation, +1 on every change: an adopted service older than this has an update. */
  version: z.number().int().min(1),
  /** Hall time (ISO with offset) of the last change. */
  updatedAt: z.string().min(1).max(40),
  /** Withdrawn items stay listed (codes are never reused) but are not offered for adoption. */
  withdrawn: z.boolean().default(false),
});
export type CatalogueItem = z.infer<typeof CatalogueItem>;

export const Service = z
  .object({
    id: Id,
    name: z.string().min(1).max(40),
    nameEn: z.string().max(80).default(''),
    /** One of the township service domains (社保, 计生, 农机…) or free text. */
    category: z.string().min(1).max(20),
    prefix: Prefix,
    numberStart: z.number().int().min(1).max(9999).default(1),
    numberEnd: z.number().int().min(1).max(9999).default(9999),
    /** Tickets per day; 0 = no quota. */
    dailyQuota: z.number().int().min(0).max(9999).default(0),
    /** Ticket hours; null = the hall's hours. */
    ticketHours: Hours.nullable().default(null),
    /** Tickets one ID number may take for this service per day; 0 = no limit. */
    perIdDailyLimit: z.number().int().min(0).max(99).default(0),
    /** The ticket needs an ID card (or appointment) to be issued. */
    idRequired: z.boolean().default(false),
    /** 一次性告知: the materials to bring, printed on the ticket. */
    materials: Materials.default([]),
    /** 电子监察: longest acceptable wait and service, in minutes. */
    waitLimitMinutes: z.number().int().min(1).max(1440).default(30),
    serviceLimitMinutes: z.number().int().min(1).max(1440).default(20),
    /** 限时办结: statutory completion time in working days, shown to citizens (0 = on the spot). */
    completionWorkingDays: z.number().int().min(0).max(365).default(0),
    enabled: z.boolean().default(true),
    /** Display order on kiosk and screens. */
    sort: z.number().int().min(0).max(9999).default(0),
    /** The catalogue item (统一事项清单) this service was adopted from: statistics compare by it across halls. */
    catalogueCode: CatalogueCode.nullable().default(null),
    /** That item's version when adopted or last updated from it. */
    catalogueVersion: z.number().int().min(1).nullable().default(null),
    /** 预约服务: bookable slots; null = no bookings. */
    appointments: ServiceAppointments.nullable().default(null),
  })
  .refine((s) => s.numberStart <= s.numberEnd, { message: 'numberStart must not exceed numberEnd', path: ['numberEnd'] });
export type Service = z.infer<typeof Service>;

export const CounterServiceLink = z.object({
  serviceId: Id,
  /** Rule 4: the head ticket's wait is multiplied by this weight. */
  weight: z.number().min(0.1).max(100).default(1),
});
export type CounterServiceLink = z.infer<typeof CounterServiceLink>;

export const Counter = z.object({
  id: Id,
  /** The integer on the wall. */
  number: z.number().int().min(1).max(9999),
  name: z.string().min(1).max(40),
  services: z.array(CounterServiceLink).max(100).default([]),
  /** Which hall screens show this counter's calls; null = every screen. */
  zone: z.string().max(40).nullable().default(null),
  enabled: z.boolean().default(true),
});
export type Counter = z.infer<typeof Counter>;

export const Role = z.enum(['admin', 'supervisor', 'clerk']);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  username: z.string().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/),
  name: z.string().min(1).max(40),
  staffNo: z.string().max(40).default(''),
  role: Role,
  /** `scrypt$N$r$p$salt$hash`, base64 parts. Never leaves the server. */
  passwordHash: z.string().min(1),
  disabled: z.boolean().default(false),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

/** `integration`: a provincial platform booking on citizens' behalf (appointments only). */
export const TerminalKind = z.enum(['kiosk', 'display', 'integration']);
export type TerminalKind = z.infer<typeof TerminalKind>;

export const Terminal = z.object({
  id: Id,
  kind: TerminalKind,
  name: z.string().min(1).max(60),
  zone: z.string().max(40).nullable().default(null),
  /** sha256 of the token, hex; the token itself is shown once at creation. */
  tokenHash: z.string().min(1),
  createdAt: z.string(),
  revoked: z.boolean().default(false),
});
export type Terminal = z.infer<typeof Terminal>;

export const DeviceKind = z.enum(['printer', 'id-reader', 'led-board', 'keypad', 'evaluator', 'scanner']);
export type DeviceKind = z.infer<typeof DeviceKind>;

const UsbId = z.number().int().min(0).max(0xffff);

export const Transport = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('serial'),
    /** `/dev/serial/by-id/…` (stable), `/dev/ttyUSB0` or `COM3`. */
    path: z.string().min(1).max(200),
    /** Absent: the kind's default (id-reader 115200, RS-485 the frame profile's rate, others 9600). */
    baudRate: z.number().int().min(300).max(4_000_000).optional(),
    flowControl: z.enum(['none', 'rts-cts', 'xon-xoff']).optional(),
    /** DTR/RTS levels set after opening; absent: as the OS opens the port. */
    dtr: z.boolean().optional(),
    rts: z.boolean().optional(),
  }),
  z.object({ type: z.literal('tcp'), host: z.string().min(1).max(200), port: z.number().int().min(1).max(65535).default(9100) }),
  z.object({ type: z.literal('usb-file'), path: z.string().min(1).max(200) }),
  /** A printer installed in Windows (kiosk agent PCs): a queue name (`POS-80`) or a share (`\\host\share`); ESC/POS goes through the spooler as RAW. */
  z.object({ type: z.literal('windows-printer'), printer: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('hid'),
    vendorId: UsbId,
    productId: UsbId,
    /** Tells two identical devices apart. */
    serialNumber: z.string().min(1).max(128).optional(),
    /** A hidraw path: wins over the ids when given (stable only per USB socket). */
    path: z.string().min(1).max(200).optional(),
  }),
  /** SAM readers on vendor bulk endpoints (0400:C35A). */
  z.object({ type: z.literal('usb-bulk'), vendorId: UsbId, productId: UsbId, serialNumber: z.string().min(1).max(128).optional() }),
  /** An ID reader read through its vendor's SDK: a tool named here, whose command only the machine running it knows (HALL_VENDOR_TOOLS). */
  z.object({ type: z.literal('vendor-sdk'), tool: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a tool name: letters, digits, - and _') }),
  z.object({ type: z.literal('simulated') }),
]);
export type Transport = z.infer<typeof Transport>;

export const AttachedTo = z.union([z.object({ terminalId: Id }).strict(), z.object({ counterId: Id }).strict()]);
export type AttachedTo = z.infer<typeof AttachedTo>;

export const Device = z.object({
  id: Id,
  kind: DeviceKind,
  name: z.string().min(1).max(60),
  transport: Transport,
  attachedTo: AttachedTo.nullable().default(null),
  /** Bus address for RS-485 devices. */
  address: z.number().int().min(0).max(255).nullable().default(null),
  /** Frame profile name for RS-485 devices, printer options for printers. */
  profile: z.string().max(40).nullable().default(null),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type Device = z.infer<typeof Device>;

/**
 * A hall-screen announcement (公告, the scrolling line). `from`/`to` bound the hall dates it shows
 * (inclusive; absent = always).
 */
export const Notice = z
  .object({
    id: Id,
    text: z.string().min(1).max(500),
    zone: z.string().max(40).nullable().default(null),
    from: DateString.nullable().optional(),
    to: DateString.nullable().optional(),
  })
  .refine((n) => !n.from || !n.to || n.from <= n.to, { message: 'from must not be after to', path: ['to'] });
export type Notice = z.infer<typeof Notice>;

const HexBytes = z.string().max(64).regex(/^(?:\s*(?:0x)?[0-9A-Fa-f]{2}[\s,:-]*)*$/, 'hex bytes such as "AA" or "FF 68"');
const HexByte = z.string().regex(/^\s*(?:0x)?[0-9A-Fa-f]{2}\s*$/, 'one hex byte such as "7F"');

/**
 * A vendor's RS-485 frame as data (API.md `PUT /api/frame-profiles/:id`): the shape. The
 * drivers' `compileFrameProfile` checks the rest (clashing codes, a frame that cannot end).
 */
export const FrameProfileDefinition = z
  .object({
    name: z.string().min(1).max(60),
    description: z.string().max(200).optional(),
    header: HexBytes,
    trailer: HexBytes,
    length: z
      .object({
        bytes: z.union([z.literal(1), z.literal(2)]),
        endian: z.enum(['big', 'little']),
        counts: z.enum(['data', 'address-to-data', 'address-to-checksum']),
        /** 2: the length is sent twice (`FF 68 L L 68 …`). */
        repeat: z.union([z.literal(1), z.literal(2)]).optional(),
      })
      .strict()
      .nullable(),
    /** Fixed bytes between the length and the address (the second 68 of `FF 68 L L 68`). */
    afterLength: HexBytes.optional(),
    addressBytes: z.union([z.literal(1), z.literal(2)]),
    checksum: z.enum(['none', 'sum8', 'xor8', 'crc16-modbus']),
    checksumEndian: z.enum(['big', 'little']).optional(),
    acks: z.boolean(),
    ack: z
      .object({ function: HexByte.optional(), timeoutMs: z.number().int().min(5).max(10_000).optional(), retries: z.number().int().min(0).max(10).optional() })
      .strict()
      .optional(),
    eventAck: z.enum(['ack', 'echo']).optional(),
    eventSeq: z.boolean().optional(),
    poll: HexByte.nullable().optional(),
    serial: z
      .object({
        baudRate: z.number().int().min(300).max(4_000_000).optional(),
        dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).optional(),
        parity: z.enum(['none', 'even', 'odd']).optional(),
        stopBits: z.union([z.literal(1), z.literal(2)]).optional(),
      })
      .strict()
      .optional(),
    maxData: z.number().int().min(1).max(4096).optional(),
    commands: z.record(z.string().max(20), z.object({ function: HexByte, text: z.enum(['gbk', 'ascii']).optional() }).strict()),
    keys: z.record(HexByte, z.string().max(20)).optional(),
    /** Key frames are told by the keypad's address alone, whatever their function byte. */
    keysAnyFunction: z.boolean().optional(),
  })
  .strict();
export type FrameProfileDefinition = z.infer<typeof FrameProfileDefinition>;

/** Ids devices name in `profile`: lower-case words with dashes, like the built-in ones. */
export const FrameProfileId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, '1..40 lower-case letters, digits and dashes');

export const CONFIG_VERSION = 1;

export const HallConfig = z.object({
  version: z.literal(CONFIG_VERSION),
  hall: Hall,
  services: z.array(Service).max(500),
  counters: z.array(Counter).max(500),
  users: z.array(User).max(5000),
  terminals: z.array(Terminal).max(2000),
  devices: z.array(Device).max(2000),
  notices: z.array(Notice).max(200).default([]),
  /** 统一事项清单 items this hall defines for its downstream halls (a county or township). */
  catalogue: z.array(CatalogueItem).max(2000).default([]),
  /** RS-485 frame profiles this hall defined, by id (devices name them in `profile`). */
  frameProfiles: z.record(FrameProfileId, FrameProfileDefinition).optional(),
});
export type HallConfig = z.infer<typeof HallConfig>;

/** Format the first zod issue as `services[2].prefix: one or two capital letters`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path
        .map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
        .join('');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
