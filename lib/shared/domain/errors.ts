/** Error codes shared by the socket protocol, the REST API and the UI. */
export const ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'WIP_LIMIT',
  'REASON_REQUIRED',
  'CONFLICT',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'TOO_MANY_CONNECTIONS',
  'TOO_LARGE',
  'RANGE_TOO_LARGE',
  'INTERNAL',
  'UNAVAILABLE',
  'IMPORT_BUSY',
  'UNDO_EXPIRED',
  'BAD_SIGNATURE',
  'WEBHOOK_URL_REFUSED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code, so REST and socket speak the same language. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID: 400,
  NOT_FOUND: 404,
  WIP_LIMIT: 409,
  CONFLICT: 409,
  REASON_REQUIRED: 422,
  UNAUTHENTICATED: 401,
  /** The session a socket was opened with has ended (expired or signed out): sign in again. */
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  /** The account has as many sockets open as it may (FLOWBOARD_SOCKETS_PER_ACCOUNT). */
  TOO_MANY_CONNECTIONS: 429,
  TOO_LARGE: 413,
  /** A flow read over a longer range than one request may cover (db/flow.ts MAX_RANGE_DAYS). */
  RANGE_TOO_LARGE: 400,
  INTERNAL: 500,
  /** The database cannot be reached right now; nothing was changed, try again. */
  UNAVAILABLE: 503,
  /** This account already has a CSV import running: one at a time per account. */
  IMPORT_BUSY: 429,
  /** A move's undo came after its window (lib/shared/domain/undo.ts UNDO_WINDOW_MS). */
  UNDO_EXPIRED: 409,
  /** An inbound hook's delivery without its provider's proof of the hook's secret (lib/server/hooks/verify.ts). */
  BAD_SIGNATURE: 401,
  /** A webhook URL that is not http(s), or names an internal address (lib/server/webhooks/ssrf.ts). */
  WEBHOOK_URL_REFUSED: 400,
};

/** A refusal the user can act on. Anything else that is thrown is logged and reported as INTERNAL. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
