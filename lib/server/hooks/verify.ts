/**
 * Who sent a delivery: each provider's own proof, checked in constant time (node:crypto). A hook's
 * secret is kept as it was issued, since an HMAC needs it; it is never logged nor shown again.
 */
import { createHmac, createHash, timingSafeEqual } from 'node:crypto';

export type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Equal strings in time that does not depend on where they differ (their hashes have one length). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, also our generic format's. */
export function signatureOf(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

function validHmac(given: string, secret: string, rawBody: string): boolean {
  if (!/^sha256=[0-9a-f]{64}$/i.test(given)) return false;
  const a = Buffer.from(given.slice(7).toLowerCase(), 'hex');
  const b = Buffer.from(signatureOf(secret, rawBody).slice(7), 'hex');
  return timingSafeEqual(a, b);
}

export type Verdict = { ok: true } | { ok: false; missing: boolean; message: string };

/**
 * GitHub: the HMAC header. GitLab: the token header, the secret itself. Alertmanager and generic
 * JSON: `Authorization: Bearer <secret>`, or our HMAC header `X-Flowboard-Signature-256` (as GitHub's).
 */
export function verify(provider: 'github' | 'gitlab' | 'bearer', headers: Headers, secret: string, rawBody: string): Verdict {
  if (provider === 'github') {
    const given = header(headers, 'x-hub-signature-256');
    if (given === undefined) return { ok: false, missing: true, message: 'No X-Hub-Signature-256 header: set the hook secret in GitHub' };
    return validHmac(given, secret, rawBody) ? { ok: true } : { ok: false, missing: false, message: 'X-Hub-Signature-256 does not match the body and the hook secret' };
  }
  if (provider === 'gitlab') {
    const given = header(headers, 'x-gitlab-token');
    if (given === undefined) return { ok: false, missing: true, message: 'No X-Gitlab-Token header: set the secret token in GitLab' };
    return sameSecret(given, secret) ? { ok: true } : { ok: false, missing: false, message: 'X-Gitlab-Token is not the hook secret' };
  }
  const signed = header(headers, 'x-flowboard-signature-256');
  if (signed !== undefined) return validHmac(signed, secret, rawBody) ? { ok: true } : { ok: false, missing: false, message: 'X-Flowboard-Signature-256 does not match the body and the hook secret' };
  const auth = header(headers, 'authorization');
  if (auth === undefined) return { ok: false, missing: true, message: 'No Authorization header: send Authorization: Bearer <hook secret>' };
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m && sameSecret(m[1] as string, secret) ? { ok: true } : { ok: false, missing: false, message: 'The bearer token is not the hook secret' };
}

/** A delivery's id, where the provider sends one: a repeat of it is a replay. */
export function deliveryIdOf(provider: 'github' | 'gitlab' | 'bearer', headers: Headers): string | null {
  const raw =
    provider === 'github'
      ? header(headers, 'x-github-delivery')
      : provider === 'gitlab'
        ? // Kept across GitLab's retries of one event; the event UUID on versions without it.
          (header(headers, 'idempotency-key') ?? header(headers, 'x-gitlab-event-uuid'))
        : undefined;
  return raw ? raw.slice(0, 200) : null;
}
