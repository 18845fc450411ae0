/**
 * How a delivery is signed, the one definition the sender and the docs' receiver example follow:
 * HMAC-SHA256, keyed with the webhook's secret, of `<timestamp>.<raw body>` where the timestamp is the
 * X-Flowboard-Timestamp header (Unix seconds). Signing the timestamp with the body lets a receiver
 * refuse a replayed delivery by its age; the hex digest goes out as `X-Flowboard-Signature: sha256=<hex>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_PREFIX = 'sha256=';

export function signDelivery(secret: string, timestamp: number, body: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The receiver's side (tests, and the worked example in docs/integrations.md): true when the header
 * is the signature of this body at this timestamp and the timestamp is within `toleranceSeconds` of now.
 */
export function verifyDelivery(secret: string, header: string | undefined, timestamp: string | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signDelivery(secret, ts, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
