/**
 * `npm run bench [-- <name>...] [--quick] [--profile]`: runs the selected benchmarks (all when none is
 * named), prints a table of the app's figures next to floors measured in the same run, and writes
 * the whole result as JSON to bench/results/. Each benchmark is a module in the list below; a new
 * one (flow page data, the 1,000-card board in Chromium) is one more entry.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { bigboard } from './bigboard';
import { cluster } from './cluster';
import { fanout, fanoutPostgres } from './fanout';
import { flow } from './flow';
import { forecast } from './forecast';
import { ADAPTERS, isAdapterName, type AdapterName } from './lib/adapters';
import { appEntry, killAllChildren, startChild } from './lib/processes';
import { RESULTS_DIR, ROOT } from './lib/paths';
import { formatTable, missedTargets, withRatios } from './lib/report';
import { createDatabase, type BenchDatabase } from './lib/services';
import { waitUntil } from './lib/time';
import type { BenchContext, BenchModule, Row } from './lib/types';
import { memory } from './memory';
import { reads } from './reads';
import { standup } from './standup';
import { throughput, throughputPostgres } from './throughput';
import { webhooks } from './webhooks';

const MODULES: readonly BenchModule[] = [fanout, throughput, fanoutPostgres, throughputPostgres, cluster, flow, forecast, bigboard, memory, reads, standup, webhooks];
const BUILD_ID = join(ROOT, '.next', 'BUILD_ID');
/** A production build takes about 15 s here; one in progress elsewhere gets this long to finish. */
const REBUILD_WAIT_MS = 120_000;

const USAGE = `Usage: npm run bench -- [${MODULES.map((m) => m.name).join('] [')}] [--quick] [--profile] [--adapter=NAME,...]
  (no name)  run every benchmark (the PostgreSQL and cluster ones need PostgreSQL and Redis:
             FLOWBOARD_TEST_DATABASE_URL, FLOWBOARD_TEST_REDIS_URL, as for the tests)
  --quick    a short smoke run: fewer runs, viewers and moves; its figures are not for the README
  --profile  start the app with --cpu-prof; profiles go to bench/results/profiles/
  --adapter  the Socket.IO adapters the cluster benchmark compares: ${ADAPTERS.join(', ')} (default: all)
${MODULES.map((m) => `  ${m.name.padEnd(15)}${m.description}`).join('\n')}`;

interface Options {
  selected: BenchModule[];
  quick: boolean;
  profile: boolean;
  adapters: AdapterName[];
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const names = new Set<string>();
  let quick = false;
  let profile = false;
  let adapters: AdapterName[] = [...ADAPTERS];
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg.startsWith('--adapter=')) {
      const named = arg.slice('--adapter='.length).split(',').filter(Boolean);
      const unknown = named.filter((n) => !isAdapterName(n));
      if (unknown.length || !named.length) throw new Error(`Unknown adapter "${unknown.join(', ')}"\n${USAGE}`);
      adapters = named.filter(isAdapterName);
    } else if (arg.startsWith('-')) throw new Error(`Unknown option ${arg}\n${USAGE}`);
    else if (MODULES.some((m) => m.name === arg)) names.add(arg);
    else throw new Error(`Unknown benchmark "${arg}"\n${USAGE}`);
  }
  const selected = names.size === 0 ? [...MODULES] : MODULES.filter((m) => names.has(m.name));
  return { selected, quick, profile, adapters };
}

function machine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${process.platform} ${release()}`,
    node: process.version,
  };
}

/** Progress goes to stderr, so stdout holds only the table. */
const log = (message: string) => console.error(`[bench] ${message}`);

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { selected, quick, profile, adapters } = parsed;
  const entry = appEntry();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const profileDir = join(RESULTS_DIR, 'profiles', stamp);
  const workDir = mkdtempSync(join(tmpdir(), 'flowboard-bench-'));
  workDirs.add(workDir);
  const host = machine();
  const loadBefore = loadavg()[0] ?? 0;
  log(`app under test: ${entry.description}`);
  log(`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, ${host.os}, Node ${host.node}; load ${loadBefore.toFixed(2)}`);

  // Every app process of a run on PostgreSQL signs sessions alike (the app refuses to start without).
  const secret = randomBytes(24).toString('base64');
  const ctx: BenchContext = {
    quick,
    adapters,
    workDir,
    log,
    async startApp(db, options = {}) {
      const chosen = options.withoutPages ? appEntry({ withoutPages: true }) : entry;
      // Decided once per run. A build that vanishes midway (someone rebuilding) would make server.ts
      // start a build of its own: wait for the other build to finish instead, or give up.
      if (chosen.script === 'server.ts' && !(await waitUntil(() => existsSync(BUILD_ID), REBUILD_WAIT_MS, 1000))) {
        throw new Error(`.next/BUILD_ID disappeared during the run and did not come back within ${REBUILD_WAIT_MS / 1000} s`);
      }
      const { cluster: shared } = options;
      return startChild({
        label: options.label ?? 'app',
        script: chosen.script,
        env: {
          ...chosen.env,
          ...(typeof db === 'string' ? { FLOWBOARD_DB: db } : { FLOWBOARD_DATABASE_URL: db.url, FLOWBOARD_SECRET: secret }),
          ...(shared ? { FLOWBOARD_REDIS_URL: shared.redisUrl, BENCH_REDIS_KEY: shared.key, BENCH_ADAPTER: shared.adapter ?? 'redis' } : {}),
          ...options.env,
        },
        nodeArgs: [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(options.nodeArgs ?? [])],
        readyTimeoutMs: chosen.readyTimeoutMs,
      });
    },
    async createDatabase(label) {
      const db = await createDatabase(label);
      databases.add(db);
      return db.url;
    },
    startFloor(script, env = {}) {
      return startChild({ label: script, script, env });
    },
  };

  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const failures: string[] = [];
  try {
    for (const module of selected) {
      const began = performance.now();
      // The machine is shared: each benchmark's figures go with the load they were measured under.
      const loadAtStart = loadavg()[0] ?? 0;
      log(`${module.name}: ${module.description}; load ${loadAtStart.toFixed(2)}`);
      try {
        const result = await module.run(ctx);
        rows.push(...result.rows);
        const load = { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 };
        log(`${module.name}: 1-min load ${load.atStart.toFixed(2)} at the start, ${load.atEnd.toFixed(2)} at the end`);
        details[module.name] = { seconds: (performance.now() - began) / 1000, load, ...result.details };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${module.name}: ${message}`);
        log(`${module.name} FAILED: ${message}`);
      }
      log(`${module.name}: ${((performance.now() - began) / 1000).toFixed(0)} s`);
    }
  } finally {
    cleanUp();
    await dropDatabases();
  }

  const loadAfter = loadavg()[0] ?? 0;
  const table = withRatios(rows);
  const header = [
    `Flowboard benchmarks, ${quick ? 'QUICK smoke run (not comparable)' : 'full run'}, ${startedAt.toISOString()}`,
    `App: ${entry.description}`,
    `Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB RAM, ${host.os}, Node ${host.node}; 1-min load ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
    'Each figure: median of the runs [min to max]; ratio = app median / floor median.',
  ];
  console.log(`\n${header.join('\n')}\n\n${formatTable(table)}`);
  const missed = missedTargets(table);
  if (missed.length) console.log(`\nTargets missed: ${missed.join('; ')}`);
  if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${stamp}${quick ? '-quick' : ''}.json`);
  const json = { startedAt: startedAt.toISOString(), quick, app: entry.description, machine: { ...host, loadBefore, loadAfter }, rows: table, failures, details };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nWrote ${file}${profile ? `; CPU profiles in ${profileDir}` : ''}`);
  return failures.length ? 1 : 0;
}

/** PostgreSQL databases of this run, dropped once its servers are gone. */
const databases = new Set<BenchDatabase>();
async function dropDatabases(): Promise<void> {
  for (const db of databases) {
    await db.drop().catch((error: unknown) => log(`could not drop ${db.url}: ${error instanceof Error ? error.message : String(error)}`));
  }
  databases.clear();
}

/** Temporary directories of this run, removed with the servers whatever way the runner ends. */
const workDirs = new Set<string>();
function cleanUp(): void {
  killAllChildren();
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  workDirs.clear();
}

process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping the servers`);
    killAllChildren();
    void dropDatabases().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
