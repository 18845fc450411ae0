'use client';
import type { ErrorCode } from '../shared/domain/errors';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; code: ErrorCode | 'NETWORK'; message: string };

/**
 * A call to our REST API from the browser with the session cookie. The custom header is the CSRF
 * proof the server asks of cookie-authenticated writes (with the Origin header browsers add).
 */
export async function apiCall<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      method,
      headers: { 'x-flowboard-request': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    const payload = (await res.json().catch(() => null)) as { error?: { code: ErrorCode; message: string } } | null;
    if (!res.ok) return { ok: false, code: payload?.error?.code ?? 'INTERNAL', message: payload?.error?.message ?? `The server answered ${res.status}` };
    return { ok: true, data: payload as T };
  } catch {
    return { ok: false, code: 'NETWORK', message: 'The server could not be reached: check the connection and try again' };
  }
}

/** better-auth's endpoints answer errors as { message, code }. */
export async function authCall(path: string, body: object, headers: Record<string, string> = {}): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const res = await fetch(`/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (res.ok) return { ok: true };
    const payload = (await res.json().catch(() => null)) as { message?: string } | null;
    if (res.status === 429) return { ok: false, message: 'Too many attempts: wait a few seconds and try again' };
    return { ok: false, message: payload?.message ?? `The server answered ${res.status}` };
  } catch {
    return { ok: false, message: 'The server could not be reached: check the connection and try again' };
  }
}

export async function signOut(): Promise<void> {
  await authCall('/sign-out', {});
  window.location.assign('/sign-in');
}
