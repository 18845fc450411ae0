/**
 * App processes for the multi-process tests: each runs tests/multiprocess/serve.ts with
 * `node --import tsx` (one process, no orphan when killed), prints its address, and is killed when
 * the test file ends or the runner exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const READY = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
/** tsx compiling the server on a busy 2-core machine. */
const START_TIMEOUT_MS = 30_000;
const TAIL_LINES = 60;

export interface AppProcess {
  readonly label: string;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The last lines it printed, to explain a failure. */
  output(): string;
  /** Errors it logged since the last call. */
  takeErrors(): string[];
  /** `kill -9`: no shutdown, no goodbye to Redis or the clients. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startAppProcess(label: string, env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const tail: string[] = [];
  const errors: string[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not print its address within ${START_TIMEOUT_MS} ms:\n${tail.join('\n')}`)), START_TIMEOUT_MS);
    const read = () => {
      let partial = '';
      return (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (line.startsWith('error ')) errors.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          const found = READY.exec(line)?.[1];
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        }
      };
    };
    child.stdout?.on('data', read());
    child.stderr?.on('data', read());
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before listening (${signal ?? code}):\n${tail.join('\n')}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exit;
    throw error;
  });
  const pid = child.pid ?? -1;
  const kill = async (signal: NodeJS.Signals) => {
    if (exited) return;
    child.kill(signal);
    await exit;
  };
  return {
    label,
    url,
    port: Number(new URL(url).port),
    pid,
    output: () => tail.join('\n'),
    takeErrors: () => errors.splice(0),
    crash: () => kill('SIGKILL'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
