import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname, join } from 'node:path';
import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { fromNodeHeaders } from 'better-auth/node';
import type { Access, AccountDTO } from '../../db/access';
import type { AuthBinding } from '../../db/engine';
import { PASSWORD_LIMITS } from '../shared/domain/limits';
import { normaliseDisplayName } from '../shared/domain/names';
import { INVITE_HEADER, SIGNUP_BY_INVITE } from '../shared/invite';
import type { Logger } from './logger';

/**
 * Accounts and sessions are better-auth's (email and password, sessions in httpOnly SameSite=Lax
 * cookies, Secure over https); this module wires it to our SQLite database and turns a request's
 * credentials (session cookie or API token) into a Principal. Authorization, the board roles, is ours
 * (db/access.ts, lib/server/commands.ts).
 */
export interface Principal {
  user: AccountDTO;
  /** Set when the request carried an API token (revoking it closes its sockets). */
  tokenId?: string;
  /** Set when the request carried a session cookie. */
  sessionId?: string;
  /** When that session expires (ms since the epoch), as better-auth had it when the request came. */
  sessionExpiresAt?: number;
}

export interface AuthOptions {
  /** The engine's drizzle handle and tables (db/sqlite or db/postgres). */
  database: AuthBinding;
  access: Access;
  secret: string;
  /** Origins browsers reach the app from; the first is the base URL. */
  origins: readonly string[];
  logger: Logger;
  /** A session was deleted (sign-out): its sockets are closed. */
  onSessionEnded?: (sessionId: string) => void;
  /** An account's row changed (its display name, say): the boards it is on show its people again. */
  onUserChanged?: (userId: string) => void;
  /** better-auth's throttle of sign-in and sign-up attempts per client address (3 per 10 s); on unless turned off for tests. */
  rateLimit?: boolean;
  /** Who may create an account: anyone ('open', the default), or only the holder of a live invite link. */
  signup?: SignupPolicy;
  /**
   * better-auth's session lifetime and how often use extends it, in seconds (its defaults: 7 days,
   * extended to 7 days from now by a request at least a day after the last extension). Tests shorten it.
   */
  session?: { expiresIn: number; updateAge: number };
}

export type SignupPolicy = 'open' | 'invite';


/**
 * The header the custom server sets to the connection's address before better-auth sees a request
 * (any copy the client sent is overwritten), so its sign-in throttle counts per client rather than
 * putting every client in one bucket.
 */
export const CLIENT_IP_HEADER = 'x-flowboard-client-ip';

/** Where better-auth answers: sign-up, sign-in, sign-out, session. */
export const AUTH_BASE_PATH = '/api/auth';

/**
 * Throws rather than returning false: a hook's false makes sign-up answer a vague "failed to create
 * user", and update-user answer 200 with the refused name in the session cookie.
 */
function displayNameOrRefuse(raw: unknown): string {
  const checked = normaliseDisplayName(raw);
  if (!checked.ok) throw new APIError('BAD_REQUEST', { message: checked.message, code: 'INVALID' });
  return checked.name;
}

/** Longest avatar address kept: a URL, not a file. */
const IMAGE_MAX = 2048;

/**
 * better-auth passes the profile's `image` to the database as it came: an object or a number there
 * failed inside the driver (a 500). We show no avatars; an address is kept, anything else refused.
 */
function checkImage(image: unknown): void {
  if (image === undefined || image === null) return;
  if (typeof image !== 'string' || image.length > IMAGE_MAX) {
    throw new APIError('BAD_REQUEST', { message: `image must be a URL of at most ${IMAGE_MAX} characters, or null`, code: 'INVALID' });
  }
}

export function createAuth(options: AuthOptions) {
  const { access, logger } = options;
  const secure = options.origins[0]?.startsWith('https://') ?? false;
  return betterAuth({
    appName: 'Flowboard',
    baseURL: options.origins[0],
    basePath: AUTH_BASE_PATH,
    secret: options.secret,
    trustedOrigins: [...options.origins],
    // oxlint-disable-next-line typescript/no-explicit-any -- one adapter call for either engine's drizzle handle
    database: drizzleAdapter(options.database.db as any, { provider: options.database.provider, schema: options.database.schema }),
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_LIMITS.min, maxPasswordLength: PASSWORD_LIMITS.max, autoSignIn: true },
    user: {
      additionalFields: {
        // Never from the sign-up form: the first account becomes admin in the hook below.
        isAdmin: { type: 'boolean', required: false, defaultValue: false, input: false },
      },
    },
    rateLimit: { enabled: options.rateLimit ?? true },
    ...(options.session ? { session: { expiresIn: options.session.expiresIn, updateAge: options.session.updateAge } } : {}),
    hooks: {
      // By invitation: the first account (the admin) and holders of a live invite link only.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email' || options.signup !== 'invite' || (await access.needsFirstAdmin())) return;
        const secret = ctx.headers?.get(INVITE_HEADER);
        if (secret && (await access.peekInvite(secret))) return;
        throw new APIError('FORBIDDEN', { message: SIGNUP_BY_INVITE, code: 'SIGNUP_BY_INVITE' });
      }),
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      cookiePrefix: 'flowboard',
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            checkImage(user.image);
            return { data: { ...user, name: displayNameOrRefuse(user.name) } };
          },
          // One synchronous transaction decides whether this is the first account (db/access.ts).
          after: async (user) => {
            if (await access.promoteAdmin(user.id)) logger.info(`${user.email} is the instance admin and owns the boards made before it`);
          },
        },
        // POST /update-user and any other change of the row: the same rule as sign-up.
        update: {
          before: async (user) => {
            checkImage(user.image);
            return user.name === undefined ? undefined : { data: { ...user, name: displayNameOrRefuse(user.name) } };
          },
          after: async (user) => options.onUserChanged?.(user.id),
        },
      },
      session: {
        delete: {
          after: async (session) => options.onSessionEnded?.(session.id),
        },
      },
    },
    telemetry: { enabled: false },
    logger: {
      log: (level, message, ...args) => {
        // better-auth reports refusals (a short password, a taken email) at error level too: they are
        // the user's mistakes, answered with a status, so they are warnings here.
        if (level === 'error' || level === 'warn') logger.warn(`auth: ${message}`, args[0]);
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The secret from the environment, else the one kept next to the database (made on first start). */
export function loadSecret(fromEnv: string | undefined, dbPath: string, logger: Logger): string {
  if (fromEnv) return fromEnv;
  const fresh = randomBytes(32).toString('base64url');
  if (dbPath === ':memory:') return fresh;
  const file = join(dirname(dbPath), 'auth-secret');
  try {
    // 'wx': of two processes starting at once, one writes and both read the same secret.
    writeFileSync(file, `${fresh}\n`, { flag: 'wx', mode: 0o600 });
    logger.info(`Generated the session secret in ${file} (set BETTER_AUTH_SECRET to choose your own)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

function bearerOf(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

export type Authenticate = (headers: IncomingHttpHeaders, token?: string | null) => Promise<Principal | null>;

/**
 * The principal of a request: an API token (the Authorization header, or the socket's `auth.token`)
 * wins over a session cookie. A token that is present but wrong is a failure, not a fall-back to the
 * cookie: an integration with a revoked token must hear about it.
 */
export function createAuthenticate(auth: Auth, access: Access): Authenticate {
  return async (headers, token) => {
    const presented = token ?? bearerOf(headers);
    if (presented !== null) {
      const owner = presented ? await access.verifyToken(presented) : null;
      return owner ? { user: owner.user, tokenId: owner.tokenId } : null;
    }
    if (!headers.cookie) return null;
    const found = await auth.api.getSession({ headers: fromNodeHeaders(headers) });
    if (!found) return null;
    const user = await access.getUser(found.user.id);
    return user ? { user, sessionId: found.session.id, sessionExpiresAt: new Date(found.session.expiresAt).getTime() } : null;
  };
}
