import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TlsConfigError, tlsFilesFromEnv } from './tls-files';
import { makeTestCertificate } from './test-certificates';

const a = makeTestCertificate();
const b = makeTestCertificate({ cn: 'other.local', san: 'DNS:other.local' });
afterAll(() => {
  for (const c of [a, b]) rmSync(c.dir, { recursive: true, force: true });
});

describe('HALL_TLS_CERT / HALL_TLS_KEY', () => {
  it('neither: plain HTTP', () => {
    expect(tlsFilesFromEnv({})).toBeNull();
    expect(tlsFilesFromEnv({ HALL_TLS_CERT: '', HALL_TLS_KEY: '' })).toBeNull();
  });

  it('a matching pair is read', () => {
    const t = tlsFilesFromEnv({ HALL_TLS_CERT: a.certFile, HALL_TLS_KEY: a.keyFile });
    expect(t?.cert.toString()).toBe(a.cert);
    expect(t?.key.toString()).toBe(a.key);
  });

  it('refuses one without the other, a missing file, a non-certificate and a key of another certificate, saying which', () => {
    const refuse = (env: NodeJS.ProcessEnv): string => {
      try {
        tlsFilesFromEnv(env);
      } catch (e) {
        expect(e).toBeInstanceOf(TlsConfigError);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refuse({ HALL_TLS_CERT: a.certFile })).toMatch(/同时设置.*only HALL_TLS_CERT/);
    expect(refuse({ HALL_TLS_CERT: a.certFile, HALL_TLS_KEY: join(a.dir, 'nope.pem') })).toMatch(/^HALL_TLS_KEY: 无法读取/);
    const junk = join(a.dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(refuse({ HALL_TLS_CERT: junk, HALL_TLS_KEY: a.keyFile })).toMatch(/^HALL_TLS_CERT: .* 不是 PEM 证书/);
    expect(refuse({ HALL_TLS_CERT: a.certFile, HALL_TLS_KEY: junk })).toMatch(/^HALL_TLS_KEY: .*私钥/);
    expect(refuse({ HALL_TLS_CERT: a.certFile, HALL_TLS_KEY: b.keyFile })).toMatch(/不匹配/);
  });
});
