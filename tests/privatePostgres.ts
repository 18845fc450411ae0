/**
 * A PostgreSQL server of one's own, for a test that crashes and restarts it: the machine's shared
 * server (tests/services.ts) is used by every other suite and must never be stopped. Made with
 * Debian's server binaries (package `postgresql`, installed by .ci/run) into a temp directory, on a
 * free port, trust auth, no fsync. PostgreSQL refuses to run as root: as root (CI), the binaries run
 * as the `postgres` account through runuser.
 *
 * In CI (FLOWBOARD_REQUIRE_SERVICES=1) missing binaries fail the suite; elsewhere it is skipped with
 * a message.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, SERVICES_REQUIRED } from './services';

const run = promisify(execFile);
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest PostgreSQL server binaries on this machine (FLOWBOARD_TEST_PG_BIN overrides). */
function findBinaries(): string | null {
  const fromEnv = process.env.FLOWBOARD_TEST_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'pg_ctl')) ? fromEnv : null;
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => existsSync(join(DEBIAN_ROOT, v, 'bin', 'pg_ctl')) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
    .toSorted((a, b) => Number(b) - Number(a));
  return versions[0] ? join(DEBIAN_ROOT, versions[0], 'bin') : null;
}

const BIN = findBinaries();
const AS_ROOT = userInfo().uid === 0;
/** The account the server runs as when we are root. */
const SERVER_ACCOUNT = 'postgres';

function checkAvailable(): boolean {
  if (BIN) return true;
  const why = `no PostgreSQL server binaries (initdb, pg_ctl) under ${DEBIAN_ROOT}/*/bin (install Debian's postgresql, or set FLOWBOARD_TEST_PG_BIN)`;
  if (SERVICES_REQUIRED) throw new Error(`A private PostgreSQL server is required (FLOWBOARD_REQUIRE_SERVICES=1) but there are ${why}`);
  console.warn(`Skipping the PostgreSQL restart suite: ${why}`);
  return false;
}

/** Top-level await in a test file: true when a private PostgreSQL server can be made here. */
export const withPrivatePostgres = checkAvailable();


export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  /** Starts the server (again) on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: every backend killed at once, no checkpoint, as in a crash. */
  crash(): Promise<void>;
  /** Stops it if running and deletes its data. */
  destroy(): Promise<void>;
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  if (!BIN) throw new Error('no PostgreSQL server binaries on this machine');
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-pg-'));
  if (AS_ROOT) chownSync(dir, ...(await accountIds(SERVER_ACCOUNT)));
  const data = join(dir, 'data');
  const port = await freePort();
  const pg = (tool: string, args: string[]) =>
    AS_ROOT ? run('runuser', ['-u', SERVER_ACCOUNT, '--', join(BIN, tool), ...args]) : run(join(BIN, tool), args);

  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  // Its own socket directory: nothing of the machine's server (or /var/run/postgresql) is touched.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off`;
  let running = false;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = async (mode: 'immediate' | 'fast') => {
    await pg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    crash: () => stop('immediate'),
    async destroy() {
      if (running) await stop('fast').catch(() => stop('immediate'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function accountIds(name: string): Promise<[number, number]> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}
