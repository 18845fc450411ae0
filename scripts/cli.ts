/**
 * Operator commands, run against the database the server uses (FLOWBOARD_DATABASE_URL, else the
 * SQLite file FLOWBOARD_DB); safe while the server runs.
 *
 *   npm run cli -- user:create --email E --password P [--name N] [--admin]
 *   npm run cli -- token:create --email E --name N      prints the token once
 *   npm run cli -- secret:reset                          forgets the session secret's fingerprint (ends every session)
 *   npm run cli -- db:copy --to postgres://…             copies the SQLite file into an empty PostgreSQL database
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAccess } from '../db/access';
import { copyDatabase } from '../db/copy';
import { openEngine } from '../db/open';
import { openPostgres } from '../db/postgres/engine';
import { openSqlite } from '../db/sqlite/engine';
import { resetSharedSecret } from '../lib/server/sharedSecret';
import { isDomainError } from '../lib/shared/domain/errors';
import { LIMITS } from '../lib/shared/domain/limits';
import { normaliseDisplayName } from '../lib/shared/domain/names';
import { createAccount } from '../lib/server/accounts';
import { createAuth, loadSecret } from '../lib/server/auth';
import { EnvError, parseEnv } from '../lib/server/env';
import { consoleLogger } from '../lib/server/logger';
import { schemas } from '../lib/shared/protocol';

const USAGE = `Usage:
  npm run cli -- user:create --email E --password P [--name N] [--admin]
  npm run cli -- token:create --email E --name N
  npm run cli -- secret:reset
  npm run cli -- db:copy --to postgres://user:password@host:5432/flowboard`;

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
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean', default: false }, to: { type: 'string' } },
    strict: true,
  });
  if (!['user:create', 'token:create', 'secret:reset', 'db:copy'].includes(command ?? '')) throw new UsageError(command ? `Unknown command ${command}` : 'No command given');

  const env = parseEnv(process.env);
  const dbPath = resolve(env.FLOWBOARD_DB);
  if (command === 'db:copy') {
    const to = required(values, 'to');
    if (!/^postgres(ql)?:\/\//.test(to)) throw new UsageError('--to must be a postgres:// URL');
    const source = openSqlite(dbPath);
    const target = await openPostgres(to);
    try {
      const report = await copyDatabase(source, target, (line) => console.log(`  ${line}`));
      console.log(`Copied ${dbPath} into PostgreSQL: ${report.boards} board(s), every table's row count and every board's log checked`);
    } finally {
      await source.close();
      await target.close();
    }
    return;
  }
  const engine = await openEngine({ url: env.FLOWBOARD_DATABASE_URL, sqlitePath: dbPath });
  try {
    if (command === 'secret:reset') {
      await resetSharedSecret(engine);
      console.log('Forgot the session secret: the next process to start records its own; everyone signs in again.');
      return;
    }
    const access = createAccess(engine);
    const email = required(values, 'email').trim().toLowerCase();
    if (command === 'user:create') {
      const origins = env.FLOWBOARD_ORIGIN ?? [`http://localhost:${env.PORT}`];
      // Quiet logger: the CLI prints its own result.
      const logger = { ...consoleLogger, info: () => {} };
      const auth = createAuth({ database: engine.auth, access, secret: loadSecret(env.BETTER_AUTH_SECRET ?? env.FLOWBOARD_SECRET, dbPath, logger), origins, logger });
      // Without --name, the start of the email; a name given is checked as sign-up checks it, never cut.
      const named = normaliseDisplayName(typeof values.name === 'string' ? values.name : (email.split('@')[0] ?? email).slice(0, LIMITS.actorName));
      if (!named.ok) throw new UsageError(`--name: ${named.message}`);
      const name = named.name;
      const user = await createAccount(auth, access, { email, password: required(values, 'password'), name, admin: values.admin });
      console.log(`Created ${user.email} ("${user.name}")${user.isAdmin ? ' as instance admin' : ''}`);
      return;
    }
    const user = await access.findUserByEmail(email);
    if (!user) throw new UsageError(`No account uses ${email}`);
    const { name } = schemas.tokenCreate.parse({ name: required(values, 'name') });
    const { secret } = await access.createToken(user.id, name);
    console.log(`API token "${name}" for ${user.email} (shown once; send it as Authorization: Bearer <token>):`);
    console.log(secret);
  } finally {
    await engine.close();
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
