/** What a scanned text means to the kiosk. */
export type ScanMeaning =
  | { kind: 'appointment'; code: string }
  | { kind: 'ticket'; ticketId: string }
  | { kind: 'unknown' };

const CODE = /^[A-Za-z0-9_-]{4,64}$/;

/**
 * An appointment QR holds either the bare code or a link naming it
 * (`…/appointments/<code>…`, `…?appointment=<code>`, `…?code=<code>`). A ticket's own QR
 * (`…/ticket/<id>`) is recognised so the kiosk can tell the citizen what it is.
 */
export function parseScan(raw: string): ScanMeaning {
  const text = raw.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { kind: 'unknown' };
    }
    const path = url.pathname;
    const appt = /\/appointments?\/([^/?#]+)/.exec(path);
    if (appt?.[1] && CODE.test(decodeURIComponent(appt[1]))) return { kind: 'appointment', code: decodeURIComponent(appt[1]) };
    const q = url.searchParams.get('appointment') ?? url.searchParams.get('code');
    if (q && CODE.test(q)) return { kind: 'appointment', code: q };
    const ticket = /\/ticket\/([^/?#]+)/.exec(path);
    if (ticket?.[1]) return { kind: 'ticket', ticketId: decodeURIComponent(ticket[1]) };
    return { kind: 'unknown' };
  }
  return CODE.test(text) ? { kind: 'appointment', code: text } : { kind: 'unknown' };
}
