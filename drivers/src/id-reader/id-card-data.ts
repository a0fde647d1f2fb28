/**
 * What an ID card reader hands to the hall server. Holds personal data: see the warning on
 * `IdCardData`.
 */
import { maskName } from '@hall/protocol';
import { NATION_NAMES, SEX_NAMES, type SexCode } from './id-tables';

/**
 * - `resident`: 居民身份证 (second-generation resident identity card)
 * - `foreign-permanent`: 外国人永久居留身份证, 2017 version (type byte `I`)
 * - `foreign-permanent-2023`: 外国人永久居留身份证, 2023 version (type byte `Y`)
 * - `hmt-residence`: 港澳台居民居住证 (type byte `J`)
 */
export type IdCardType = 'resident' | 'foreign-permanent' | 'foreign-permanent-2023' | 'hmt-residence';

/** The decoded fields, as plain data. Dates are `YYYY-MM-DD`. */
export interface IdCardFields {
  cardType: IdCardType;
  /** Name in Chinese; on a foreigner's card without a Chinese name, the English name. */
  name: string;
  /** Foreigners' cards only. */
  englishName: string | null;
  sexCode: SexCode;
  /** Resident cards only: GB 3304 code `01`–`56`, `97`, `98`. */
  nationCode: string | null;
  /** Foreigners' cards only: nationality / region code (ISO 3166-1 alpha-3, e.g. `CAN`). */
  nationality: string | null;
  birthDate: string;
  /** Resident cards and HMT permits only. */
  address: string | null;
  /**
   * 公民身份号码 (resident, HMT permit, 2023 foreigner card: 18 characters, GB 11643 checksum
   * verified) or the 15-character 2017 permanent residence number.
   */
  idNumber: string;
  /** 签发机关; on the 2017 foreigner card the 4-digit code of the accepting authority. */
  authority: string | null;
  validFrom: string;
  /** Null when the card is valid long-term (长期). */
  validTo: string | null;
  /** HMT permit: 通行证号码. */
  passNumber: string | null;
  /** HMT permit: 签发次数; 2023 foreigner card: 换证次数. */
  issueCount: number | null;
  /** 2017 foreigner card: 证件版本号. */
  cardVersion: string | null;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `320102195003150011` → `3201**********0011`; shorter numbers keep 4 + 4 as well. */
export function maskIdNumber(idNumber: string): string {
  const s = idNumber.trim();
  if (s.length <= 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/**
 * One card read from the reader.
 *
 * WARNING — personal information (个人信息保护法): `idNumber`, `name`, `englishName`,
 * `address` and `birthDate` are raw. They exist only inside the process: the hall server
 * must hash the ID number (keyed) and mask the name at once, and must never store, send or log
 * this object as it is. `toString()`, `toJSON()` and `util.inspect` are masked, so an
 * accidental log line or `JSON.stringify` shows `3201**********1234` and `张*三`, never the
 * raw values; read the fields explicitly where the raw value is really needed.
 */
export class IdCardData implements IdCardFields {
  readonly cardType: IdCardType;
  readonly name: string;
  readonly englishName: string | null;
  readonly sexCode: SexCode;
  readonly nationCode: string | null;
  readonly nationality: string | null;
  readonly birthDate: string;
  readonly address: string | null;
  readonly idNumber: string;
  readonly authority: string | null;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly passNumber: string | null;
  readonly issueCount: number | null;
  readonly cardVersion: string | null;

  constructor(fields: IdCardFields) {
    this.cardType = fields.cardType;
    this.name = fields.name;
    this.englishName = fields.englishName;
    this.sexCode = fields.sexCode;
    this.nationCode = fields.nationCode;
    this.nationality = fields.nationality;
    this.birthDate = fields.birthDate;
    this.address = fields.address;
    this.idNumber = fields.idNumber;
    this.authority = fields.authority;
    this.validFrom = fields.validFrom;
    this.validTo = fields.validTo;
    this.passNumber = fields.passNumber;
    this.issueCount = fields.issueCount;
    this.cardVersion = fields.cardVersion;
    Object.freeze(this);
  }

  /** 男 / 女 / 未知 / 未说明. */
  get sex(): string {
    return SEX_NAMES[this.sexCode];
  }

  /** 汉, 蒙古, … for resident cards; null otherwise or for an unknown code. */
  get nation(): string | null {
    return this.nationCode === null ? null : (NATION_NAMES[this.nationCode] ?? null);
  }

  /** Valid 长期 (no end date). */
  get longTerm(): boolean {
    return this.validTo === null;
  }

  /** For display and print: 张*三. */
  get maskedName(): string {
    return maskName(this.name);
  }

  /** For display and logs: 3201**********1234. */
  get maskedIdNumber(): string {
    return maskIdNumber(this.idNumber);
  }

  /** Safe to log: masked name and number, no address, birth year only. */
  toJSON(): Record<string, unknown> {
    return {
      cardType: this.cardType,
      name: this.maskedName,
      ...(this.englishName === null ? {} : { englishName: maskName(this.englishName) }),
      sex: this.sex,
      ...(this.nation === null ? {} : { nation: this.nation }),
      ...(this.nationality === null ? {} : { nationality: this.nationality }),
      birthYear: this.birthDate.slice(0, 4),
      idNumber: this.maskedIdNumber,
      validTo: this.validTo ?? '长期',
    };
  }

  toString(): string {
    return `IdCardData(${this.cardType} ${this.maskedName} ${this.maskedIdNumber})`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}
