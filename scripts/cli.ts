/**
 * Operator commands, run against the database file the server uses (safe while it runs: SQLite WAL).
 *
 *   npm run cli -- user:create --email E --password P [--name N] [--admin]
 *   npm run cli -- token:create --email E --name N      prints the token once
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAccess } from '../db/access';
import { openDatabase } from '../db/client';
import { isDomainError } from '../lib/domain/errors';
import { LIMITS } from '../lib/domain/limits';
import { normaliseDisplayName } from '../lib/domain/names';
import { createAccount } from '../lib/server/accounts';
import { createAuth, loadSecret } from '../lib/server/auth';
import { EnvError, parseEnv } from '../lib/server/env';
import { consoleLogger } from '../lib/server/logger';
import { schemas } from '../lib/realtime/protocol';

const USAGE = `Usage:
  npm run cli -- user:create --email E --password P [--name N] [--admin]
  npm run cli -- token:create --email E --name N`;

class UsageError extends Error {}

function required(values: Record<string, string | boolean | undefined>, key: string): string {
  const value = values[key];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${key} is required`);
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean', default: false } },
    strict: true,
  });
  if (command !== 'user:create' && command !== 'token:create') throw new UsageError(command ? `Unknown command ${command}` : 'No command given');

  const env = parseEnv(process.env);
  const dbPath = resolve(env.FLOWBOARD_DB);
  const database = openDatabase(dbPath);
  try {
    const access = createAccess(database.db);
    const email = required(values, 'email').trim().toLowerCase();
    if (command === 'user:create') {
      const origins = env.FLOWBOARD_ORIGIN ?? [`http://localhost:${env.PORT}`];
      // Quiet logger: the CLI prints its own result.
      const logger = { ...consoleLogger, info: () => {} };
      const auth = createAuth({ db: database.db, access, secret: loadSecret(env.BETTER_AUTH_SECRET ?? env.FLOWBOARD_SECRET, dbPath, logger), origins, logger });
      // Without --name, the start of the email; a name given is checked as sign-up checks it, never cut.
      const named = normaliseDisplayName(typeof values.name === 'string' ? values.name : (email.split('@')[0] ?? email).slice(0, LIMITS.actorName));
      if (!named.ok) throw new UsageError(`--name: ${named.message}`);
      const name = named.name;
      const user = await createAccount(auth, access, { email, password: required(values, 'password'), name, admin: values.admin });
      console.log(`Created ${user.email} ("${user.name}")${user.isAdmin ? ' as instance admin' : ''}`);
      return;
    }
    const user = access.findUserByEmail(email);
    if (!user) throw new UsageError(`No account uses ${email}`);
    const { name } = schemas.tokenCreate.parse({ name: required(values, 'name') });
    const { secret } = access.createToken(user.id, name);
    console.log(`API token "${name}" for ${user.email} (shown once; send it as Authorization: Bearer <token>):`);
    console.log(secret);
  } finally {
    database.sqlite.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else if (error instanceof EnvError || isDomainError(error)) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
