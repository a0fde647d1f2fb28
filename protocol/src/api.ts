/**
 * Request schemas and response shapes of the HTTP API (see shared/API.md). Every request body
 * is parsed with one of these before anything else sees it; responses are typed, not parsed.
 */
import { z } from 'zod';
import {
  VoiceSettingsPatch,
  SupervisionSettings,
  AppointmentSettings,
  ServiceAppointments,
  AttachedTo,
  Calendar,
  ClockTime,
  CounterServiceLink,
  DateString,
  DeviceKind,
  HallLevel,
  Hours,
  Id,
  OrderingPolicy,
  Prefix,
  Role,
  TerminalKind,
  Transport,
} from './config';
import { Priority } from './domain';
import type { CounterView, Ticket } from './domain';

export const LoginRequest = z.object({
  username: z.string().min(1).max(40),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export interface LoginResponse {
  token: string;
  user: { id: string; name: string; role: z.infer<typeof Role>; staffNo: string; username: string };
  expiresAt: string;
}

export const CreateUserRequest = z.object({
  username: z.string().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  name: z.string().min(1).max(40),
  staffNo: z.string().max(40).default(''),
  role: Role,
  password: z.string().min(8, 'at least 8 characters').max(200),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const PatchUserRequest = z
  .object({
    name: z.string().min(1).max(40),
    staffNo: z.string().max(40),
    role: Role,
    password: z.string().min(8).max(200),
    disabled: z.boolean(),
  })
  .partial()
  .strict();
export type PatchUserRequest = z.infer<typeof PatchUserRequest>;

/** `POST /api/auth/password`: the signed-in user's own password; other sessions of the user end. */
export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().min(1).max(200),
    newPassword: z.string().min(8, 'at least 8 characters').max(200),
  })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** A user as `GET /api/users` lists it: no hash; `lockedUntil` while too many failed logins lock it. */
export interface UserView {
  id: string;
  username: string;
  name: string;
  staffNo: string;
  role: z.infer<typeof Role>;
  disabled: boolean;
  createdAt: string;
  lockedUntil: string | null;
}

export const CreateTerminalRequest = z.object({
  kind: TerminalKind,
  name: z.string().min(1).max(60),
  zone: z.string().max(40).nullable().optional(),
});
export type CreateTerminalRequest = z.infer<typeof CreateTerminalRequest>;

/**
 * A settings object's PATCH: any subset of its fields, none filled in with its default (zod fills
 * defaults even inside `.partial()`, which turned a PATCH of one knob into a reset of the others).
 */
function settingsPatch<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, v instanceof z.ZodDefault ? v.unwrap() : v]));
  return z.object(shape as { [K in keyof S]: S[K] extends z.ZodDefault<infer T> ? T : S[K] }).partial().strict();
}

export const PatchHallRequest = z
  .object({
    name: z.string().min(1).max(60),
    level: HallLevel,
    timezone: z.string().min(1).max(64),
    hours: Hours,
    calendar: Calendar,
    phraseTemplate: z.string().min(1).max(120),
    policy: settingsPatch(OrderingPolicy),
    voice: VoiceSettingsPatch,
    supervision: settingsPatch(SupervisionSettings),
    appointments: settingsPatch(AppointmentSettings),
    terminalTicketsPerMinute: z.number().int().min(1).max(10000),
    publicUrl: z.string().url().max(200).nullable(),
    upstream: z.object({ url: z.string().url().max(200), token: z.string().min(1).max(200) }).nullable(),
  })
  .partial()
  .strict();
export type PatchHallRequest = z.infer<typeof PatchHallRequest>;

const ServiceFields = {
  name: z.string().min(1).max(40),
  nameEn: z.string().max(80),
  category: z.string().min(1).max(20),
  prefix: Prefix,
  numberStart: z.number().int().min(1).max(9999),
  numberEnd: z.number().int().min(1).max(9999),
  dailyQuota: z.number().int().min(0).max(9999),
  ticketHours: Hours.nullable(),
  perIdDailyLimit: z.number().int().min(0).max(99),
  idRequired: z.boolean(),
  materials: z.array(z.string().min(1).max(100)).max(30),
  waitLimitMinutes: z.number().int().min(1).max(1440),
  serviceLimitMinutes: z.number().int().min(1).max(1440),
  completionWorkingDays: z.number().int().min(0).max(365),
  enabled: z.boolean(),
  sort: z.number().int().min(0).max(9999),
  appointments: ServiceAppointments.nullable(),
};
export const CreateServiceRequest = z
  .object(ServiceFields)
  .partial()
  .required({ name: true, category: true, prefix: true })
  .extend({ id: Id.optional() })
  .strict();
export type CreateServiceRequest = z.infer<typeof CreateServiceRequest>;
export const PatchServiceRequest = z.object(ServiceFields).partial().strict();
export type PatchServiceRequest = z.infer<typeof PatchServiceRequest>;

const CounterFields = {
  number: z.number().int().min(1).max(9999),
  name: z.string().min(1).max(40),
  services: z.array(CounterServiceLink).max(100),
  /** Shorthand: equal weights. */
  serviceIds: z.array(Id).max(100),
  zone: z.string().max(40).nullable(),
  enabled: z.boolean(),
};
export const CreateCounterRequest = z
  .object(CounterFields)
  .partial()
  .required({ number: true, name: true })
  .extend({ id: Id.optional() })
  .strict();
export type CreateCounterRequest = z.infer<typeof CreateCounterRequest>;
export const PatchCounterRequest = z.object(CounterFields).partial().strict();
export type PatchCounterRequest = z.infer<typeof PatchCounterRequest>;

/** What a kiosk or staff sends about an ID card. Only name, number and birth date are used. */
export const IdCardInput = z
  .object({
    name: z.string().min(1).max(60),
    idNumber: z.string().min(1).max(40),
    birthDate: DateString.optional(),
  })
  .passthrough();
export type IdCardInput = z.infer<typeof IdCardInput>;

export const IssueTicketRequest = z
  .object({
    serviceId: Id,
    priority: Priority.optional(),
    idCard: IdCardInput.optional(),
    /** A card swiped on a reader the hall server drives: the kiosk never sees the number. */
    idCardToken: z.string().min(1).max(100).optional(),
    /**
     * Idempotency key chosen by the client for one tap: a retry with the same key (an ack that
     * timed out, then the HTTP fallback) returns the same ticket instead of issuing a second.
     */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, - or _').optional(),
  })
  .strict();
export type IssueTicketRequest = z.infer<typeof IssueTicketRequest>;

export type PrintOutcome = 'sent' | 'failed' | 'none';
export type IssueTicketResponse = Ticket & { trackToken: string; print: PrintOutcome; trackUrl: string };

const TicketNumber = z.string().regex(/^[A-Z]{1,2}\d{3,4}$/, 'a ticket number like A001');
/** Path ids are opaque: an unknown one is a 404, not a 400, so only the length is checked. */
const CounterId = z.string().min(1).max(200);
const bare = <A extends string>(action: A) => z.object({ action: z.literal(action), counterId: CounterId }).strict();

/**
 * Every counter action, the one definition the server, its keypads and the clerk's screen share:
 * `POST /api/counters/:counterId/<action>` with the other fields as the body.
 */
export const CounterAction = z.discriminatedUnion('action', [
  bare('sign-in'),
  bare('sign-out'),
  bare('call-next'),
  z.object({ action: z.literal('call'), counterId: CounterId, ticketNumber: TicketNumber }).strict(),
  bare('recall'),
  bare('start'),
  bare('finish'),
  bare('no-show'),
  z.object({ action: z.literal('requeue'), counterId: CounterId, ticketNumber: TicketNumber }).strict(),
  // To a service, or to a counter (with one of its services or, by default, the ticket's own
  // when it serves it, else its first): API.md's `{ serviceId }` plus `{ toCounterId }`.
  z
    .object({ action: z.literal('transfer'), counterId: CounterId, serviceId: Id.optional(), toCounterId: CounterId.optional() })
    .strict()
    .refine((t) => t.serviceId !== undefined || t.toCounterId !== undefined, { message: 'name a serviceId or a toCounterId', path: ['serviceId'] }),
  z.object({ action: z.literal('pause'), counterId: CounterId, reason: z.string().min(1).max(60) }).strict(),
  bare('resume'),
]);
export type CounterAction = z.infer<typeof CounterAction>;
export type CounterActionName = CounterAction['action'];
export const COUNTER_ACTIONS: readonly CounterActionName[] = CounterAction.options.map((o) => o.shape.action.value);

export interface CounterActionResponse {
  counter: CounterView;
  ticket: Ticket | null;
}

export const RatingRequest = z
  .object({
    score: z.number().int().min(1).max(5),
    reasons: z.array(z.string().min(1).max(40)).max(10).optional(),
    comment: z.string().max(500).optional(),
  })
  .strict();
export type RatingRequest = z.infer<typeof RatingRequest>;

export const CreateDeviceRequest = z
  .object({
    kind: DeviceKind,
    name: z.string().min(1).max(60),
    transport: Transport,
    attachedTo: AttachedTo.nullable().optional(),
    address: z.number().int().min(0).max(255).nullable().optional(),
    profile: z.string().max(40).nullable().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type CreateDeviceRequest = z.infer<typeof CreateDeviceRequest>;
/** `PATCH /api/devices/:id`: any field but the kind; `transport` and `options` replace the old ones whole. */
export const PatchDeviceRequest = CreateDeviceRequest.omit({ kind: true }).partial().strict();
export type PatchDeviceRequest = z.infer<typeof PatchDeviceRequest>;

/** `POST /api/devices/:id/test-print` → `200`: whether the test slip came out, else why not. */
export interface TestPrintResponse {
  printed: boolean;
  code: string | null;
  message: string | null;
}

/** `PUT /api/notices`: the hall screens' announcements, the whole list (ids kept when given). */
export const PutNoticesRequest = z
  .object({
    notices: z
      .array(
        z
          .object({
            id: Id.optional(),
            text: z.string().trim().min(1).max(500),
            zone: z.string().max(40).nullable().optional(),
            from: DateString.nullable().optional(),
            to: DateString.nullable().optional(),
          })
          .strict()
          .refine((n) => !n.from || !n.to || n.from <= n.to, { message: 'from must not be after to', path: ['to'] }),
      )
      .max(200),
  })
  .strict();
export type PutNoticesRequest = z.infer<typeof PutNoticesRequest>;

/** Whether the hall can write its journal; reads and screens work either way. */
export interface JournalHealth {
  journal: 'ok' | 'failed';
  /** Why writes are refused (disk full, folder unwritable…); null when they are taken. */
  reason: string | null;
}

export interface HealthResponse {
  /** `degraded`: the hall serves reads but refuses writes (see `journal`). */
  status: 'ok' | 'degraded';
  journal: JournalHealth;
  hall: { id: string; name: string; level: string };
  day: string;
  time: string;
  version: string;
}

export const DateRangeQuery = z.object({ from: DateString, to: DateString });

export { ClockTime };
