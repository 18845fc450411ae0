import { LIMITS } from './limits';

/**
 * A display name is copied into every event its owner causes and shown to every viewer, so every
 * way of setting one (sign-up, profile update, the CLI, the forms) applies this one rule.
 */
export type DisplayNameCheck = { ok: true; name: string } | { ok: false; message: string };

export function normaliseDisplayName(raw: unknown): DisplayNameCheck {
  if (typeof raw !== 'string') return { ok: false, message: 'A name must be text' };
  if (raw.includes('\u0000')) return { ok: false, message: 'A name cannot contain the NUL character (U+0000)' };
  const name = raw.trim();
  if (name.length === 0) return { ok: false, message: 'A name cannot be empty or only spaces' };
  if (name.length > LIMITS.actorName) return { ok: false, message: `A name has at most ${LIMITS.actorName} characters` };
  return { ok: true, name };
}
