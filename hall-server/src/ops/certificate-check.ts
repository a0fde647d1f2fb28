/**
 * The doctor's certificate checks. A hall serves plain HTTP on its LAN unless HALL_TLS_CERT and
 * HALL_TLS_KEY name a certificate and key (then it serves HTTPS); a hall behind a proxy may
 * also have an https HALL_PUBLIC_URL (the address printed in ticket QR codes). Either way a
 * certificate that has expired, does not fit its key, or does not name the host people open
 * stops phones and kiosks from reaching the hall, so the doctor checks all three.
 * Pure over its inputs: the PEM text, the URL and `now` come in; nothing is read here.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import type { Finding, FindingLevel } from './doctor';

const DAY = 86_400_000;
/** Warn this long before expiry: time to get a new certificate from the province's CA. */
export const CERT_WARN_DAYS = 30;

export interface CertificateFacts {
  /** The certificate, PEM or DER. */
  cert: string | Buffer;
  /** Its private key (PEM), when the hall holds it (HALL_TLS_KEY). */
  key?: string | Buffer;
  /** Where it came from, for the message: a file path or `https://host:port`. */
  source: string;
  /** The address people open (HALL_PUBLIC_URL), when https. */
  publicUrl?: string;
  /** What the machine's trust store said of a certificate fetched over the network. */
  trust?: { authorized: boolean; error?: string };
  now: number;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function checkCertificate(f: CertificateFacts): Finding[] {
  const out: Finding[] = [];
  const add = (check: string, level: FindingLevel, found: string, todo = ''): void => void out.push({ check, level, found, todo });
  const renew = '向证书签发机构（如省政务CA）申请新证书，替换文件后重启服务（sudo systemctl restart hall-server）。/ Get a new certificate from its issuer (e.g. the provincial CA), replace the file and restart the service.';

  let cert: X509Certificate;
  try {
    cert = new X509Certificate(f.cert);
  } catch (e) {
    add('tls.cert', 'error', `证书无法读取（不是 PEM/DER 证书）：${f.source} / the certificate cannot be parsed: ${(e as Error).message}`, '检查 HALL_TLS_CERT 指向的文件是否为 PEM 格式证书。/ Check that HALL_TLS_CERT names a PEM certificate.');
    return out;
  }

  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const daysLeft = Math.floor((to - f.now) / DAY);
  if (f.now > to) {
    add('tls.expiry', 'error', `证书已于 ${day(to)} 过期：${f.source} / the certificate expired on ${day(to)}`, renew);
  } else if (f.now < from) {
    add('tls.expiry', 'error', `证书要到 ${day(from)} 才生效：${f.source} / the certificate is not valid before ${day(from)}`, '检查本机时间是否正确（hall-server doctor 的时钟项），或换用已生效的证书。/ Check this machine\'s clock, or use a certificate that is already valid.');
  } else if (to - f.now < CERT_WARN_DAYS * DAY) {
    add('tls.expiry', 'warn', `证书还有 ${daysLeft} 天过期（${day(to)}）：${f.source} / the certificate expires in ${daysLeft} days (${day(to)})`, renew);
  } else {
    add('tls.expiry', 'ok', `证书有效至 ${day(to)}（还有 ${daysLeft} 天）：${f.source} / the certificate is valid until ${day(to)}`);
  }

  if (f.key !== undefined) {
    let fits: boolean;
    try {
      fits = cert.checkPrivateKey(createPrivateKey(f.key));
    } catch (e) {
      add('tls.key', 'error', `私钥无法读取：${(e as Error).message} / the private key cannot be read`, '检查 HALL_TLS_KEY 指向的文件是否为不带密码的 PEM 私钥。/ Check that HALL_TLS_KEY names an unencrypted PEM private key.');
      fits = true;
    }
    if (!fits) add('tls.key', 'error', '证书与私钥不匹配 / the certificate does not belong to the private key', '把同一次申请得到的证书和私钥配在一起（HALL_TLS_CERT 与 HALL_TLS_KEY）。/ Pair the certificate with the key it was issued for.');
    else if (!out.some((x) => x.check === 'tls.key')) add('tls.key', 'ok', '证书与私钥匹配 / the certificate matches its private key');
  }

  if (f.publicUrl) {
    let host: string | null = null;
    try {
      const u = new URL(f.publicUrl);
      host = u.protocol === 'https:' ? u.hostname.replace(/^\[|\]$/g, '') : null;
    } catch {
      host = null;
    }
    if (host) {
      const names = cert.subjectAltName ?? cert.subject;
      const matches = isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
      if (matches) add('tls.hostname', 'ok', `证书包含地址 ${host} / the certificate names ${host}`);
      else add('tls.hostname', 'error', `证书不包含 HALL_PUBLIC_URL 的地址 ${host}（证书写的是 ${names}）/ the certificate does not name ${host}, the host of HALL_PUBLIC_URL (it names ${names})`, `申请包含 ${host} 的证书（subjectAltName），或把 HALL_PUBLIC_URL 改成证书上的地址。/ Get a certificate whose subjectAltName has ${host}, or set HALL_PUBLIC_URL to a name on the certificate.`);
    }
  }

  if (f.trust && !f.trust.authorized) {
    add('tls.trust', 'warn', `本机不信任该证书（${f.trust.error ?? 'unknown'}）：${f.source} / this machine does not trust the certificate`, '自签名或内网CA签发的证书：把CA证书装到每台取号机、叫号屏和办事人员电脑上；手机扫码会看到安全警告。/ A self-signed or intranet-CA certificate: install the CA on every kiosk, screen and desk PC; phones scanning a ticket will see a warning.');
  }
  return out;
}
