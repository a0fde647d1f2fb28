/**
 * The 256-byte text block of the card (UCS-2LE, fields padded with spaces), pure.
 *
 * The byte at offset 248 tells the card type: blank for the resident card, `I` for the 2017
 * foreigner's permanent residence card, `Y` for its 2023 version, `J` for the Hong Kong / Macao
 * / Taiwan residence permit. Each type has its own layout (offset, length in bytes) below.
 */
import { isValidIdNumber } from '@hall/protocol';
import { IdCardData, type IdCardFields, type IdCardType } from './id-card-data';
import { isSexCode } from './id-tables';

export const ID_TEXT_LENGTH = 256;

type Field = readonly [offset: number, length: number];

const TYPE_BYTE: Field = [248, 2];

const RESIDENT = {
  name: [0, 30],
  sex: [30, 2],
  nation: [32, 4],
  birth: [36, 16],
  address: [52, 70],
  idNumber: [122, 36],
  authority: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
} as const satisfies Record<string, Field>;

const HMT = {
  ...RESIDENT,
  passNumber: [220, 18],
  issueCount: [238, 4],
} as const satisfies Record<string, Field>;

const FOREIGN_2017 = {
  englishName: [0, 120],
  sex: [120, 2],
  idNumber: [122, 30],
  nationality: [152, 6],
  name: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
  birth: [220, 16],
  cardVersion: [236, 4],
  authority: [240, 8],
} as const satisfies Record<string, Field>;

const FOREIGN_2023 = {
  name: [0, 30],
  sex: [30, 2],
  renewals: [32, 4],
  birth: [36, 16],
  englishName: [52, 70],
  idNumber: [122, 36],
  validFrom: [188, 16],
  validTo: [204, 16],
  englishNameMore: [220, 22],
  nationality: [242, 6],
} as const satisfies Record<string, Field>;

export type IdTextErrorCode = 'ID_TEXT.BAD_LENGTH' | 'ID_TEXT.BAD_FIELD' | 'ID_TEXT.INVALID_ID_NUMBER';

/** Never carries the field's value, only its name. */
export interface IdTextError {
  code: IdTextErrorCode;
  message: string;
  field?: string;
  cardType?: IdCardType;
}

export type IdTextResult = { ok: true; card: IdCardData } | { ok: false; error: IdTextError };

const TRIM = /^[\s\u0000\u3000]+|[\s\u0000\u3000]+$/g;

function text(block: Buffer, [offset, length]: Field): string {
  return block.toString('utf16le', offset, offset + length).replace(TRIM, '');
}

class FieldError extends Error {
  constructor(
    readonly code: IdTextErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function date(value: string, field: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (m) {
    const [, y, mo, d] = m as unknown as [string, string, string, string];
    const t = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (t.getUTCFullYear() === Number(y) && t.getUTCMonth() === Number(mo) - 1 && t.getUTCDate() === Number(d)) {
      return `${y}-${mo}-${d}`;
    }
  }
  throw new FieldError('ID_TEXT.BAD_FIELD', field, `${field} is not a date (YYYYMMDD)`);
}

function validTo(value: string): string | null {
  if (value === '长期') return null;
  return date(value, 'validTo');
}

function required(value: string, field: string): string {
  if (value === '') throw new FieldError('ID_TEXT.BAD_FIELD', field, `${field} is empty`);
  return value;
}

function sex(value: string): IdCardFields['sexCode'] {
  if (!isSexCode(value)) throw new FieldError('ID_TEXT.BAD_FIELD', 'sex', 'sex code is not 0, 1, 2 or 9');
  return value;
}

function count(value: string, field: string): number | null {
  if (value === '') return null;
  if (!/^\d{1,2}$/.test(value)) throw new FieldError('ID_TEXT.BAD_FIELD', field, `${field} is not a number`);
  return Number(value);
}

function optional(value: string): string | null {
  return value === '' ? null : value;
}

/** Which layout the block uses. */
export function idTextCardType(block: Uint8Array): IdCardType {
  const b = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  if (b.length < ID_TEXT_LENGTH) return 'resident';
  switch (text(b, TYPE_BYTE)) {
    case 'I':
      return 'foreign-permanent';
    case 'Y':
      return 'foreign-permanent-2023';
    case 'J':
      return 'hmt-residence';
    default:
      return 'resident';
  }
}

function fieldsOf(b: Buffer, cardType: IdCardType): IdCardFields {
  switch (cardType) {
    case 'resident': {
      const nationCode = required(text(b, RESIDENT.nation), 'nation');
      if (!/^\d{2}$/.test(nationCode)) throw new FieldError('ID_TEXT.BAD_FIELD', 'nation', 'nation code is not two digits');
      return {
        cardType,
        name: required(text(b, RESIDENT.name), 'name'),
        englishName: null,
        sexCode: sex(text(b, RESIDENT.sex)),
        nationCode,
        nationality: null,
        birthDate: date(text(b, RESIDENT.birth), 'birthDate'),
        address: optional(text(b, RESIDENT.address)),
        idNumber: text(b, RESIDENT.idNumber).toUpperCase(),
        authority: optional(text(b, RESIDENT.authority)),
        validFrom: date(text(b, RESIDENT.validFrom), 'validFrom'),
        validTo: validTo(text(b, RESIDENT.validTo)),
        passNumber: null,
        issueCount: null,
        cardVersion: null,
      };
    }
    case 'hmt-residence':
      return {
        cardType,
        name: required(text(b, HMT.name), 'name'),
        englishName: null,
        sexCode: sex(text(b, HMT.sex)),
        nationCode: null,
        nationality: null,
        birthDate: date(text(b, HMT.birth), 'birthDate'),
        address: optional(text(b, HMT.address)),
        idNumber: text(b, HMT.idNumber).toUpperCase(),
        authority: optional(text(b, HMT.authority)),
        validFrom: date(text(b, HMT.validFrom), 'validFrom'),
        validTo: validTo(text(b, HMT.validTo)),
        passNumber: optional(text(b, HMT.passNumber)),
        issueCount: count(text(b, HMT.issueCount), 'issueCount'),
        cardVersion: null,
      };
    case 'foreign-permanent': {
      const englishName = text(b, FOREIGN_2017.englishName);
      const chineseName = text(b, FOREIGN_2017.name);
      return {
        cardType,
        name: required(chineseName || englishName, 'name'),
        englishName: optional(englishName),
        sexCode: sex(text(b, FOREIGN_2017.sex)),
        nationCode: null,
        nationality: optional(text(b, FOREIGN_2017.nationality)),
        birthDate: date(text(b, FOREIGN_2017.birth), 'birthDate'),
        address: null,
        idNumber: text(b, FOREIGN_2017.idNumber).toUpperCase(),
        authority: optional(text(b, FOREIGN_2017.authority)),
        validFrom: date(text(b, FOREIGN_2017.validFrom), 'validFrom'),
        validTo: validTo(text(b, FOREIGN_2017.validTo)),
        passNumber: null,
        issueCount: null,
        cardVersion: optional(text(b, FOREIGN_2017.cardVersion)),
      };
    }
    case 'foreign-permanent-2023': {
      // The English name runs on from its first field (35 characters) into a second one (11).
      const englishName = (
        b.toString('utf16le', FOREIGN_2023.englishName[0], FOREIGN_2023.englishName[0] + FOREIGN_2023.englishName[1]) +
        b.toString('utf16le', FOREIGN_2023.englishNameMore[0], FOREIGN_2023.englishNameMore[0] + FOREIGN_2023.englishNameMore[1])
      ).replace(TRIM, '');
      const chineseName = text(b, FOREIGN_2023.name);
      return {
        cardType,
        name: required(chineseName || englishName, 'name'),
        englishName: optional(englishName),
        sexCode: sex(text(b, FOREIGN_2023.sex)),
        nationCode: null,
        nationality: optional(text(b, FOREIGN_2023.nationality)),
        birthDate: date(text(b, FOREIGN_2023.birth), 'birthDate'),
        address: null,
        idNumber: text(b, FOREIGN_2023.idNumber).toUpperCase(),
        authority: null,
        validFrom: date(text(b, FOREIGN_2023.validFrom), 'validFrom'),
        validTo: validTo(text(b, FOREIGN_2023.validTo)),
        passNumber: null,
        issueCount: count(text(b, FOREIGN_2023.renewals), 'issueCount'),
        cardVersion: null,
      };
    }
  }
}

/** Whether the number is right for the card type (checksum where the card has one). */
export function isValidCardNumber(cardType: IdCardType, idNumber: string): boolean {
  if (cardType === 'foreign-permanent') return /^[A-Z]{3}\d{12}$/.test(idNumber);
  return isValidIdNumber(idNumber);
}

/**
 * Decodes the text block. A number failing its GB 11643 checksum is `ID_TEXT.INVALID_ID_NUMBER`,
 * not a card. Never throws on any input.
 */
export function decodeIdText(block: Uint8Array): IdTextResult {
  if (block.length !== ID_TEXT_LENGTH) {
    return {
      ok: false,
      error: { code: 'ID_TEXT.BAD_LENGTH', message: `text block of ${block.length} bytes, expected ${ID_TEXT_LENGTH}` },
    };
  }
  const b = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const cardType = idTextCardType(b);
  let fields: IdCardFields;
  try {
    fields = fieldsOf(b, cardType);
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, error: { code: err.code, message: err.message, field: err.field, cardType } };
    return { ok: false, error: { code: 'ID_TEXT.BAD_FIELD', message: 'undecodable text block', cardType } };
  }
  if (!isValidCardNumber(cardType, fields.idNumber)) {
    return {
      ok: false,
      error: {
        code: 'ID_TEXT.INVALID_ID_NUMBER',
        message:
          cardType === 'foreign-permanent'
            ? 'permanent residence number is not 3 letters and 12 digits'
            : 'ID number fails its GB 11643 check character or birth date',
        field: 'idNumber',
        cardType,
      },
    };
  }
  return { ok: true, card: new IdCardData(fields) };
}

// ---- encoding, for the simulator and tests ----

function put(block: Buffer, [offset, length]: Field, value: string, field: string): void {
  const bytes = Buffer.from(value, 'utf16le');
  if (bytes.length > length) throw new RangeError(`${field} does not fit in ${length / 2} characters`);
  block.fill(Buffer.from(' ', 'utf16le'), offset, offset + length);
  bytes.copy(block, offset);
}

const compact = (isoDate: string): string => isoDate.replaceAll('-', '');

/** Builds the 256-byte block a card of this type would hold. Throws on a field too long. */
export function encodeIdText(fields: IdCardFields): Buffer {
  const b = Buffer.alloc(ID_TEXT_LENGTH);
  b.fill(Buffer.from(' ', 'utf16le'));
  const to = fields.validTo === null ? '长期' : compact(fields.validTo);
  const cnt = fields.issueCount === null ? '' : String(fields.issueCount).padStart(2, '0');
  switch (fields.cardType) {
    case 'resident':
    case 'hmt-residence': {
      put(b, RESIDENT.name, fields.name, 'name');
      put(b, RESIDENT.sex, fields.sexCode, 'sex');
      put(b, RESIDENT.nation, fields.cardType === 'resident' ? (fields.nationCode ?? '') : '', 'nation');
      put(b, RESIDENT.birth, compact(fields.birthDate), 'birthDate');
      put(b, RESIDENT.address, fields.address ?? '', 'address');
      put(b, RESIDENT.idNumber, fields.idNumber, 'idNumber');
      put(b, RESIDENT.authority, fields.authority ?? '', 'authority');
      put(b, RESIDENT.validFrom, compact(fields.validFrom), 'validFrom');
      put(b, RESIDENT.validTo, to, 'validTo');
      if (fields.cardType === 'hmt-residence') {
        put(b, HMT.passNumber, fields.passNumber ?? '', 'passNumber');
        put(b, HMT.issueCount, cnt, 'issueCount');
        put(b, TYPE_BYTE, 'J', 'cardType');
      }
      break;
    }
    case 'foreign-permanent':
      put(b, FOREIGN_2017.englishName, fields.englishName ?? '', 'englishName');
      put(b, FOREIGN_2017.sex, fields.sexCode, 'sex');
      put(b, FOREIGN_2017.idNumber, fields.idNumber, 'idNumber');
      put(b, FOREIGN_2017.nationality, fields.nationality ?? '', 'nationality');
      put(b, FOREIGN_2017.name, fields.name === fields.englishName ? '' : fields.name, 'name');
      put(b, FOREIGN_2017.validFrom, compact(fields.validFrom), 'validFrom');
      put(b, FOREIGN_2017.validTo, to, 'validTo');
      put(b, FOREIGN_2017.birth, compact(fields.birthDate), 'birthDate');
      put(b, FOREIGN_2017.cardVersion, fields.cardVersion ?? '', 'cardVersion');
      put(b, FOREIGN_2017.authority, fields.authority ?? '', 'authority');
      put(b, TYPE_BYTE, 'I', 'cardType');
      break;
    case 'foreign-permanent-2023': {
      const english = fields.englishName ?? '';
      const first = FOREIGN_2023.englishName[1] / 2;
      put(b, FOREIGN_2023.name, fields.name === fields.englishName ? '' : fields.name, 'name');
      put(b, FOREIGN_2023.sex, fields.sexCode, 'sex');
      put(b, FOREIGN_2023.renewals, cnt, 'issueCount');
      put(b, FOREIGN_2023.birth, compact(fields.birthDate), 'birthDate');
      put(b, FOREIGN_2023.englishName, english.slice(0, first), 'englishName');
      put(b, FOREIGN_2023.idNumber, fields.idNumber, 'idNumber');
      put(b, FOREIGN_2023.validFrom, compact(fields.validFrom), 'validFrom');
      put(b, FOREIGN_2023.validTo, to, 'validTo');
      put(b, FOREIGN_2023.englishNameMore, english.slice(first), 'englishName');
      put(b, FOREIGN_2023.nationality, fields.nationality ?? '', 'nationality');
      put(b, TYPE_BYTE, 'Y', 'cardType');
      break;
    }
  }
  return b;
}
