import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idCheckChar, isValidIdNumber } from '@hall/protocol';
import { DEMO_PERSONS } from './demo-persons';
import { IdCardData, maskIdNumber } from './id-card-data';
import { NATION_NAMES, SEX_NAMES, nationCodeOf, nationName } from './id-tables';
import { decodeIdText, encodeIdText, idTextCardType } from './id-text';

/** Builds a block by hand from (offset, bytes, text), independent of `encodeIdText`. */
function block(fields: Array<[offset: number, length: number, value: string]>): Buffer {
  const b = Buffer.alloc(256);
  b.fill(Buffer.from(' ', 'utf16le'));
  for (const [offset, length, value] of fields) {
    const bytes = Buffer.from(value, 'utf16le');
    expect(bytes.length).toBeLessThanOrEqual(length);
    bytes.copy(b, offset);
  }
  return b;
}

const ID = `32010219610824003${idCheckChar('32010219610824003')}`;

const resident = (overrides: Record<number, [number, string]> = {}): Buffer => {
  const base: Record<number, [number, string]> = {
    0: [30, '张小三'],
    30: [2, '1'],
    32: [4, '01'],
    36: [16, '19610824'],
    52: [70, '江苏省南京市玄武区示例路1号'],
    122: [36, ID],
    158: [30, '南京市公安局玄武分局'],
    188: [16, '20100301'],
    204: [16, '20300301'],
  };
  return block(Object.entries({ ...base, ...overrides }).map(([o, [l, v]]) => [Number(o), l, v]));
};

describe('decodeIdText: resident card', () => {
  it('decodes every field, trimmed', () => {
    const r = decodeIdText(resident());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.card;
    expect(c.cardType).toBe('resident');
    expect(c.name).toBe('张小三');
    expect(c.sexCode).toBe('1');
    expect(c.sex).toBe('男');
    expect(c.nationCode).toBe('01');
    expect(c.nation).toBe('汉');
    expect(c.birthDate).toBe('1961-08-24');
    expect(c.address).toBe('江苏省南京市玄武区示例路1号');
    expect(c.idNumber).toBe(ID);
    expect(c.authority).toBe('南京市公安局玄武分局');
    expect(c.validFrom).toBe('2010-03-01');
    expect(c.validTo).toBe('2030-03-01');
    expect(c.longTerm).toBe(false);
    expect(c.englishName).toBeNull();
    expect(c.passNumber).toBeNull();
    expect(Object.keys(c)).not.toContain('photo');
  });

  it('trims NUL padding as well as spaces', () => {
    const b = resident();
    b.fill(0, 6, 30); // name: three characters, then NULs
    const r = decodeIdText(b);
    expect(r.ok && r.card.name).toBe('张小三');
  });

  it('reads 长期 as no end date', () => {
    const r = decodeIdText(resident({ 204: [16, '长期'] }));
    expect(r.ok && r.card.validTo).toBeNull();
    expect(r.ok && r.card.longTerm).toBe(true);
  });

  it('accepts a lower-case x check character and upper-cases it', () => {
    const body = '65010219950412004';
    expect(idCheckChar(body)).toBe('X');
    const r = decodeIdText(resident({ 122: [36, `${body}x`] }));
    expect(r.ok && r.card.idNumber).toBe(`${body}X`);
  });

  it('maps every sex code', () => {
    for (const [code, name] of Object.entries(SEX_NAMES)) {
      const r = decodeIdText(resident({ 30: [2, code] }));
      expect(r.ok && r.card.sex).toBe(name);
    }
    expect(decodeIdText(resident({ 30: [2, '3'] }))).toMatchObject({ ok: false, error: { code: 'ID_TEXT.BAD_FIELD', field: 'sex' } });
  });

  it('maps nation codes through the GB 3304 table', () => {
    const cases: Array<[string, string]> = [
      ['01', '汉'], ['02', '蒙古'], ['03', '回'], ['04', '藏'], ['05', '维吾尔'], ['08', '壮'],
      ['10', '朝鲜'], ['11', '满'], ['15', '土家'], ['29', '柯尔克孜'], ['30', '土'], ['43', '乌孜别克'],
      ['44', '俄罗斯'], ['56', '基诺'], ['97', '其他'], ['98', '外国血统'],
    ];
    for (const [code, name] of cases) {
      const r = decodeIdText(resident({ 32: [4, code] }));
      expect(r.ok && r.card.nation).toBe(name);
    }
    const unknown = decodeIdText(resident({ 32: [4, '77'] }));
    expect(unknown.ok && unknown.card.nation).toBeNull();
    expect(decodeIdText(resident({ 32: [4, 'A'] }))).toMatchObject({ ok: false, error: { field: 'nation' } });
  });

  it('has the full nation table', () => {
    expect(Object.keys(NATION_NAMES)).toHaveLength(58);
    for (let i = 1; i <= 56; i++) expect(nationName(String(i).padStart(2, '0'))).toBeTruthy();
    expect(new Set(Object.values(NATION_NAMES)).size).toBe(58);
    expect(nationCodeOf('维吾尔族')).toBe('05');
    expect(nationCodeOf('汉')).toBe('01');
    expect(nationCodeOf('火星')).toBeUndefined();
  });

  it('reports a failed GB 11643 checksum as a typed error, never as a card', () => {
    const wrong = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
    expect(isValidIdNumber(wrong)).toBe(false);
    const r = decodeIdText(resident({ 122: [36, wrong] }));
    expect(r).toMatchObject({ ok: false, error: { code: 'ID_TEXT.INVALID_ID_NUMBER', field: 'idNumber', cardType: 'resident' } });
    expect(JSON.stringify(r)).not.toContain(wrong);
    expect(JSON.stringify(r)).not.toContain(wrong.slice(0, 17));
  });

  it('reports bad dates, empty names and wrong lengths by field, without values', () => {
    expect(decodeIdText(resident({ 36: [16, '19610230'] }))).toMatchObject({ ok: false, error: { field: 'birthDate' } });
    expect(decodeIdText(resident({ 188: [16, '2010'] }))).toMatchObject({ ok: false, error: { field: 'validFrom' } });
    expect(decodeIdText(resident({ 204: [16, '长久'] }))).toMatchObject({ ok: false, error: { field: 'validTo' } });
    expect(decodeIdText(resident({ 0: [30, ''] }))).toMatchObject({ ok: false, error: { field: 'name' } });
    expect(decodeIdText(Buffer.alloc(255))).toMatchObject({ ok: false, error: { code: 'ID_TEXT.BAD_LENGTH' } });
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 256, maxLength: 256 }), fc.uint8Array({ maxLength: 300 })), (bytes) => {
        const r = decodeIdText(bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeIdText: residence permits', () => {
  it('decodes the Hong Kong / Macao / Taiwan residence permit (J)', () => {
    const id = `81000019900101001${idCheckChar('81000019900101001')}`;
    const b = block([
      [0, 30, '陈大文'],
      [30, 2, '1'],
      [36, 16, '19900101'],
      [52, 70, '广东省深圳市福田区示例大道1号'],
      [122, 36, id],
      [158, 30, '深圳市公安局'],
      [188, 16, '20190301'],
      [204, 16, '20240301'],
      [220, 18, 'H12345678'],
      [238, 4, '02'],
      [248, 2, 'J'],
    ]);
    expect(idTextCardType(b)).toBe('hmt-residence');
    const r = decodeIdText(b);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.card).toMatchObject({
      cardType: 'hmt-residence',
      name: '陈大文',
      sexCode: '1',
      nationCode: null,
      birthDate: '1990-01-01',
      idNumber: id,
      passNumber: 'H12345678',
      issueCount: 2,
      validTo: '2024-03-01',
    });
  });

  it('decodes the 2017 foreigner permanent residence card (I)', () => {
    const b = block([
      [0, 120, 'SMITH, JOHN'],
      [120, 2, '1'],
      [122, 30, 'USA110075022801'],
      [152, 6, 'USA'],
      [158, 30, '史密斯'],
      [188, 16, '20180115'],
      [204, 16, '20280114'],
      [220, 16, '19750228'],
      [236, 4, '01'],
      [240, 8, '1100'],
      [248, 2, 'I'],
    ]);
    const r = decodeIdText(b);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.card).toMatchObject({
      cardType: 'foreign-permanent',
      name: '史密斯',
      englishName: 'SMITH, JOHN',
      nationality: 'USA',
      birthDate: '1975-02-28',
      idNumber: 'USA110075022801',
      authority: '1100',
      cardVersion: '01',
      address: null,
    });
    // Without a Chinese name, the English name stands in.
    const noCn = block([
      [0, 120, 'SMITH, JOHN'], [120, 2, '1'], [122, 30, 'USA110075022801'], [152, 6, 'USA'],
      [188, 16, '20180115'], [204, 16, '20280114'], [220, 16, '19750228'], [248, 2, 'I'],
    ]);
    const r2 = decodeIdText(noCn);
    expect(r2.ok && r2.card.name).toBe('SMITH, JOHN');
    const badNo = decodeIdText(block([[0, 120, 'X'], [120, 2, '1'], [122, 30, 'US1234'], [188, 16, '20180115'], [204, 16, '20280114'], [220, 16, '19750228'], [248, 2, 'I']]));
    expect(badNo).toMatchObject({ ok: false, error: { code: 'ID_TEXT.INVALID_ID_NUMBER', cardType: 'foreign-permanent' } });
  });

  it('decodes the 2023 foreigner permanent residence card (Y), English name over two fields', () => {
    const id = '932682198501010017'; // the published sample number of the 2023 card
    const longName = 'ABDULLAH BIN MOHAMMED AL-EXAMPLE SAMPLE NAMES'; // 45 characters
    const b = block([
      [0, 30, '阿卜杜拉'],
      [30, 2, '1'],
      [32, 4, '01'],
      [36, 16, '19850101'],
      [52, 70, longName.slice(0, 35)],
      [122, 36, id],
      [188, 16, '20231201'],
      [204, 16, '20331130'],
      [220, 22, longName.slice(35)],
      [242, 6, 'SAU'],
      [248, 2, 'Y'],
    ]);
    const r = decodeIdText(b);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.card).toMatchObject({
      cardType: 'foreign-permanent-2023',
      name: '阿卜杜拉',
      englishName: longName,
      nationality: 'SAU',
      birthDate: '1985-01-01',
      idNumber: id,
      issueCount: 1,
      authority: null,
    });
  });

  it('round-trips every demo person through encodeIdText', () => {
    for (const person of Object.values(DEMO_PERSONS)) {
      const r = decodeIdText(encodeIdText(person));
      expect(r.ok).toBe(true);
      if (r.ok) expect({ ...r.card }).toEqual(person);
    }
  });

  it('refuses to encode a field that does not fit', () => {
    expect(() => encodeIdText({ ...DEMO_PERSONS.adult, name: '名'.repeat(16) })).toThrow(/name/);
  });
});

describe('demo persons', () => {
  it('carry valid checksummed numbers, one elderly born 1950', () => {
    for (const p of Object.values(DEMO_PERSONS)) {
      if (p.cardType !== 'foreign-permanent') expect(isValidIdNumber(p.idNumber)).toBe(true);
    }
    expect(DEMO_PERSONS.elderly.birthDate.startsWith('1950')).toBe(true);
    expect(DEMO_PERSONS.elderly.idNumber.slice(6, 10)).toBe('1950');
  });
});

describe('IdCardData masking', () => {
  const card = new IdCardData({ ...DEMO_PERSONS.adult, name: '张小三', idNumber: ID });

  it('masks in toString, toJSON, util.inspect and format', () => {
    const masked = `${ID.slice(0, 4)}**********${ID.slice(-4)}`;
    expect(card.maskedIdNumber).toBe(masked);
    expect(card.maskedName).toBe('张*三');
    expect(String(card)).toBe(`IdCardData(resident 张*三 ${masked})`);
    const outputs = [
      String(card),
      `${card}`,
      JSON.stringify(card),
      JSON.stringify({ nested: [card] }),
      inspect(card),
      inspect({ card }, { depth: 5 }),
      format('%s %o %O %j', card, card, card, card),
    ];
    for (const out of outputs) {
      expect(out).not.toContain(ID);
      expect(out).not.toContain('张小三');
      expect(out).not.toContain(DEMO_PERSONS.adult.address as string);
      expect(out).not.toContain('1988-07-21');
    }
    expect(JSON.parse(JSON.stringify(card))).toEqual({
      cardType: 'resident',
      name: '张*三',
      sex: '男',
      nation: '汉',
      birthYear: '1988',
      idNumber: masked,
      validTo: '2038-05-10',
    });
  });

  it('keeps the raw values readable where the server needs them, and is frozen', () => {
    expect(card.idNumber).toBe(ID);
    expect(card.name).toBe('张小三');
    expect(() => {
      (card as unknown as { idNumber: string }).idNumber = 'x';
    }).toThrow();
  });

  it('masks numbers of any length', () => {
    expect(maskIdNumber('USA110075022801')).toBe('USA1*******2801');
    expect(maskIdNumber('1234')).toBe('****');
  });
});
