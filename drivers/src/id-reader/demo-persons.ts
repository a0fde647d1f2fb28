/**
 * Made-up card holders for the demo hall and tests. The numbers are fake but carry a correct
 * GB 11643 check character (computed here, so they stay valid), and none is a published one.
 */
import { idCheckChar } from '@hall/protocol';
import type { IdCardFields } from './id-card-data';

function withCheck(first17: string): string {
  const check = idCheckChar(first17);
  if (check === undefined) throw new Error('demo ID number body must be 17 digits');
  return first17 + check;
}

const base = {
  englishName: null,
  nationality: null,
  passNumber: null,
  issueCount: null,
  cardVersion: null,
} as const;

/** Keys for `DEMO_PERSONS`. */
export type DemoPersonKey = 'elderly' | 'adult' | 'minority' | 'hmt' | 'foreigner2023' | 'foreigner2017';

export const DEMO_PERSONS: Readonly<Record<DemoPersonKey, IdCardFields>> = Object.freeze({
  /** Born 1950: the elderly priority class applies. Long-term card (长期). */
  elderly: {
    ...base,
    cardType: 'resident',
    name: '王秀英',
    sexCode: '2',
    nationCode: '01',
    birthDate: '1950-03-15',
    address: '江苏省南京市玄武区示例路100号',
    idNumber: withCheck('32010219500315002'),
    authority: '南京市公安局玄武分局',
    validFrom: '2012-06-01',
    validTo: null,
  },
  adult: {
    ...base,
    cardType: 'resident',
    name: '李建国',
    sexCode: '1',
    nationCode: '01',
    birthDate: '1988-07-21',
    address: '江苏省南京市玄武区样板街道幸福村3组18号',
    idNumber: withCheck('32010219880721003'),
    authority: '南京市公安局玄武分局',
    validFrom: '2018-05-10',
    validTo: '2038-05-10',
  },
  minority: {
    ...base,
    cardType: 'resident',
    name: '阿依古丽·买买提',
    sexCode: '2',
    nationCode: '05',
    birthDate: '1995-04-12',
    address: '新疆维吾尔自治区乌鲁木齐市天山区示例巷7号',
    idNumber: withCheck('65010219950412004'),
    authority: '乌鲁木齐市公安局天山分局',
    validFrom: '2015-09-01',
    validTo: '2025-09-01',
  },
  hmt: {
    ...base,
    cardType: 'hmt-residence',
    name: '陈大文',
    sexCode: '1',
    nationCode: null,
    birthDate: '1990-01-01',
    address: '广东省深圳市福田区示例大道1号',
    idNumber: withCheck('81000019900101001'),
    authority: '深圳市公安局',
    validFrom: '2019-03-01',
    validTo: '2024-03-01',
    passNumber: 'H12345678',
    issueCount: 1,
  },
  foreigner2023: {
    ...base,
    cardType: 'foreign-permanent-2023',
    name: '安娜',
    englishName: 'SAMPLE, ANNA MARIA',
    sexCode: '2',
    nationCode: null,
    nationality: 'CAN',
    birthDate: '1981-08-03',
    address: null,
    idNumber: withCheck('91112419810803002'),
    authority: null,
    validFrom: '2023-12-01',
    validTo: '2033-11-30',
    issueCount: 0,
  },
  foreigner2017: {
    ...base,
    cardType: 'foreign-permanent',
    name: '史密斯',
    englishName: 'SMITH, JOHN',
    sexCode: '1',
    nationCode: null,
    nationality: 'USA',
    birthDate: '1975-02-28',
    address: null,
    idNumber: 'USA110075022801',
    authority: '1100',
    validFrom: '2018-01-15',
    validTo: '2028-01-14',
    cardVersion: '01',
  },
});
