/**
 * Test support: certificates made at test time with the machine's openssl (never checked in,
 * so none expires in the repository). Used by the doctor's and the HTTPS tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** A self-signed certificate for `cn` with the given subjectAltName (e.g. `DNS:hall.local,IP:127.0.0.1`). */
export function makeTestCertificate(o: { cn?: string; san?: string; days?: number } = {}): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'hall-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(o.days ?? 365), '-subj', `/CN=${o.cn ?? 'hall.local'}`, '-addext', `subjectAltName=${o.san ?? 'DNS:hall.local,IP:127.0.0.1'}`],
    { stdio: 'pipe' },
  );
  return { dir, certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
