/**
 * The servers under test run as child processes, so their CPU and memory are their own and the
 * clients in the runner do not share their event loop. Every child is registered here and killed when
 * the runner exits, fails or is interrupted.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths';
import { sleep, withTimeout } from './time';

export interface ServerChild {
  /** What runs in it, for logs: "app" or a floor's name. */
  label: string;
  url: string;
  pid: number;
  /** Resident set size from /proc/<pid>/status, in bytes. */
  rssBytes(): number;
  /** User plus system CPU time the process has used so far, in seconds. */
  cpuSeconds(): number;
  /** Asks the child for a full garbage collection (the GC preload listens for SIGUSR2). */
  collectGarbage(): void;
  stop(): Promise<void>;
}

export interface ChildOptions {
  label: string;
  script: string;
  env?: Record<string, string>;
  /** Extra Node flags placed before the script, such as --cpu-prof. */
  nodeArgs?: string[];
  /** Starting server.ts may build nothing but still prepares Next: give it time. */
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
/** Lines of output kept per child to explain a failure. */
const TAIL_LINES = 40;
/** How long a child gets to close its sockets and database after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5000;
/** Every server prints its address as http://127.0.0.1:<port>; nothing listens beyond loopback. */
const READY = /http:\/\/127\.0\.0\.1:(\d+)/;
const GC_PRELOAD = pathToFileURL(join(ROOT, 'bench', 'lib', 'gc-preload.ts')).href;

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`No VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / ticksPerSecond();
}

export async function startChild(options: ChildOptions): Promise<ServerChild> {
  const args = ['--expose-gc', '--import', 'tsx', '--import', GC_PRELOAD, ...(options.nodeArgs ?? []), options.script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const tail: string[] = [];
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );

  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      // A line may arrive in two chunks: keep each stream's unfinished line until its end comes.
      const reader = () => {
        let partial = '';
        return (chunk: Buffer) => {
          const lines = (partial + chunk.toString('utf8')).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.trim()) continue;
            tail.push(line);
            if (tail.length > TAIL_LINES) tail.shift();
            const port = READY.exec(line)?.[1];
            if (port) resolve(`http://127.0.0.1:${port}`);
          }
        };
      };
      child.stdout?.on('data', reader());
      child.stderr?.on('data', reader());
      child.once('exit', (code, signal) =>
        reject(new Error(`${options.label} exited before listening (${signal ?? code}):\n${tail.join('\n')}`)),
      );
    }),
    options.readyTimeoutMs ?? 20_000,
    `${options.label} to print its address`,
  ).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exitedPromise;
    throw error;
  });

  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.label} has no pid`);
  return {
    label: options.label,
    url,
    pid,
    rssBytes: () => readRssBytes(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    collectGarbage: () => void child.kill('SIGUSR2'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await Promise.race([exitedPromise, sleep(STOP_GRACE_MS)]);
      if (!exited) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    },
  };
}

/** Last resort on exit, error or signal: no server outlives the runner. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** Rate limits off (FLOWBOARD_WRITE_RATE=0 turns off the join and drag throttles too) and a socket cap above any benchmark's viewers. */
const BENCH_LIMITS = { FLOWBOARD_WRITE_RATE: '0', FLOWBOARD_SOCKETS_PER_ACCOUNT: '100000' };

/**
 * The app runs through its real entry point when a production build exists, else (or when asked to)
 * without Next.
 */
export function appEntry(options: { withoutPages?: boolean } = {}): { script: string; description: string; env: Record<string, string>; readyTimeoutMs: number } {
  if (!options.withoutPages && existsSync(join(ROOT, '.next', 'BUILD_ID'))) {
    return {
      script: 'server.ts',
      description: 'server.ts (production, with Next)',
      // No rate limits: a benchmark measures throughput, and the floors it is compared with have none.
      // Its hundreds of viewers are sockets of one account: no cap that stops them either.
      env: { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', FLOWBOARD_SEED: 'false', ...BENCH_LIMITS },
      readyTimeoutMs: 60_000,
    };
  }
  return {
    script: 'bench/serve-app.ts',
    description: 'bench/serve-app.ts (startApp without Next: no .next/BUILD_ID)',
    env: { NODE_ENV: 'production', ...BENCH_LIMITS },
    readyTimeoutMs: 20_000,
  };
}
