import { describe, expect, it } from 'vitest';
import { doctorPageHtml, doctorSummary } from './doctor-page';
import type { Finding } from './doctor';

const findings: Finding[] = [
  { check: 'disk.space', level: 'ok', found: '数据盘剩余 40 GB', todo: '' },
  { check: 'tls.expiry', level: 'warn', found: '证书还有 9 天过期 <script>', todo: '申请新证书' },
  { check: 'port', level: 'error', found: '端口 8080 被其他程序占用', todo: '停止它' },
];

describe('doctor page', () => {
  it('counts errors and warnings', () => {
    expect(doctorSummary({ checkedAt: '2026-12-07T09:00:00+08:00', findings })).toMatchObject({ errors: 1, warnings: 1 });
  });

  it('lists errors first, says what to do, escapes what it shows', () => {
    const html = doctorPageHtml({ checkedAt: '2026-12-07T09:00:00+08:00', findings }, '某某县政务服务中心 & 分厅');
    expect(html.indexOf('端口 8080')).toBeLessThan(html.indexOf('证书还有'));
    expect(html.indexOf('证书还有')).toBeLessThan(html.indexOf('数据盘'));
    expect(html).toContain('处理 / To do: 停止它');
    expect(html).toContain('1 个错误，1 个注意事项');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#38; 分厅');
    expect(doctorPageHtml({ checkedAt: 'x', findings: [findings[0]!] }, 'h')).toContain('一切正常 / All good');
  });
});
