import { z } from 'zod';

const PORT_RULE = 'expected a whole number from 0 (any free port) to 65535';

// At least 32 characters: better-auth refuses shorter secrets in production.
const secret = z.string().min(32, 'use at least 32 random characters (for example: openssl rand -base64 32)');
const origin = z
  .string()
  .refine((v) => URL.canParse(v) && new URL(v).origin === v.replace(/\/$/, ''), 'expected an origin such as https://flowboard.example.com')
  .transform((v) => new URL(v).origin);
const serviceUrl = (schemes: readonly string[], example: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v) && schemes.includes(new URL(v).protocol), `expected a URL such as ${example}`);
const wholeNumber = z
  .string()
  .regex(/^\d{1,9}$/, 'expected a whole number')
  .transform(Number);

/** Every setting the server reads from the environment, parsed once at start. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Digits only: a blanket number coercion would read an empty PORT as 0 (a random port) and accept 1e3 or 0x50.
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, PORT_RULE)
    .default('3000')
    .transform(Number)
    .pipe(z.number().max(65_535, PORT_RULE)),
  HOST: z.string().min(1).default('0.0.0.0'),
  FLOWBOARD_DB: z.string().min(1).default('data/flowboard.db'),
  /** PostgreSQL instead of the SQLite file: several processes can then share one database. */
  FLOWBOARD_DATABASE_URL: serviceUrl(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/flowboard').optional(),
  /** Redis for live fan-out, presence and rate limits across processes (needed with more than one). */
  FLOWBOARD_REDIS_URL: serviceUrl(['redis:', 'rediss:'], 'redis://host:6379').optional(),
  /** Seed a demo board when the database is created. */
  FLOWBOARD_SEED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Signs session cookies. When neither is set, one is generated and kept next to the database. */
  BETTER_AUTH_SECRET: secret.optional(),
  FLOWBOARD_SECRET: secret.optional(),
  /**
   * Where browsers reach the app, comma-separated when there are several (behind a proxy: the public
   * URL). Cookie-authenticated writes and socket handshakes from any other origin are refused.
   * Default: http://localhost:PORT and http://127.0.0.1:PORT.
   */
  FLOWBOARD_ORIGIN: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(origin).min(1))
    .optional(),
  /** Writes per second allowed per account, across its sessions, tokens, sockets and processes (a token bucket); 0 turns it off, with the join and drag throttles. */
  FLOWBOARD_WRITE_RATE: wholeNumber.default(20),
  /** How many writes may come at once before the rate applies. */
  FLOWBOARD_WRITE_BURST: wholeNumber.default(40),
  /** Most sockets (board and flow pages, integrations) one account may hold open, across processes. */
  FLOWBOARD_SOCKETS_PER_ACCOUNT: wholeNumber.default(20).pipe(z.number().min(1, 'expected a whole number of at least 1')),
  /**
   * How many reverse proxies stand in front of the server: the sign-in throttle then counts per
   * client address from X-Forwarded-For instead of per proxy. 0 (the default) believes no header.
   */
  FLOWBOARD_TRUSTED_PROXIES: wholeNumber.default(0),
  /** Who may create an account: `open` (anyone who reaches the server) or `invite` (the first admin, then invite links only). */
  FLOWBOARD_SIGNUP: z.enum(['open', 'invite']).default('open'),
  /** Throttle sign-in and sign-up attempts (3 per 10 s per client address). Off only for end-to-end tests. */
  FLOWBOARD_AUTH_RATE_LIMIT: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /**
   * Let outgoing webhooks reach loopback, private and link-local addresses (receivers inside the
   * operator's own network, and the tests). Off: such URLs are refused (lib/server/webhooks/ssrf.ts).
   */
  FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(source[String(i.path[0])])})`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
