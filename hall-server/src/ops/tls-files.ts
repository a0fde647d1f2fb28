/**
 * HALL_TLS_CERT and HALL_TLS_KEY: PEM files that make the hall serve HTTPS on PORT instead of
 * plain HTTP (for a hall whose QR codes are opened from phones over a government network, or a
 * site that requires TLS on the LAN). Both or neither; a pair that cannot serve is refused at
 * start with what to do, never a crash half-way through listening. An expired certificate
 * still starts (the hall keeps serving its kiosks over it) and `hall-server doctor` reports it.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';

export class TlsConfigError extends Error {}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

/** The pair named by the environment, read and checked; null for plain HTTP. */
export function tlsFilesFromEnv(env: NodeJS.ProcessEnv): TlsFiles | null {
  const certFile = env.HALL_TLS_CERT || undefined;
  const keyFile = env.HALL_TLS_KEY || undefined;
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) {
    throw new TlsConfigError(`HALL_TLS_CERT 和 HALL_TLS_KEY 要同时设置 / set both HALL_TLS_CERT and HALL_TLS_KEY (only ${certFile ? 'HALL_TLS_CERT' : 'HALL_TLS_KEY'} is set)`);
  }
  const read = (name: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new TlsConfigError(`${name}: 无法读取 ${file} / cannot read ${file}: ${(e as Error).message}`);
    }
  };
  const cert = read('HALL_TLS_CERT', certFile);
  const key = read('HALL_TLS_KEY', keyFile);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new TlsConfigError(`HALL_TLS_CERT: ${certFile} 不是 PEM 证书 / is not a PEM certificate: ${(e as Error).message}`);
  }
  let fits: boolean;
  try {
    fits = x509.checkPrivateKey(createPrivateKey(key));
  } catch (e) {
    throw new TlsConfigError(`HALL_TLS_KEY: ${keyFile} 不是可用的 PEM 私钥（不能带密码）/ is not an unencrypted PEM private key: ${(e as Error).message}`);
  }
  if (!fits) throw new TlsConfigError(`HALL_TLS_CERT 与 HALL_TLS_KEY 不匹配 / ${certFile} does not belong to the key ${keyFile}`);
  return { certFile, keyFile, cert, key };
}
