/**
 * nginx in front of real app processes, for tests/multiprocess/nginx.test.ts: the operator's
 * configuration (docs/deploy/nginx.conf) rendered for free ports and a temp directory, nginx run in
 * the foreground as a child, app processes started with `node --import tsx`, and HTTP from a chosen
 * loopback address (Linux routes all of 127.0.0.0/8 to lo), which is what lets one machine play many
 * clients for the sticky routing by client address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NGINX_TEMPLATE = join(ROOT, 'docs', 'deploy', 'nginx.conf');
/** Long enough for three processes starting together on a loaded 2-core machine. */
const START_TIMEOUT_MS = 45_000;
const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 40;
const LOG_WAIT_MS = 10_000;

/** NGINX_PATH when set, else nginx on PATH or where Debian puts it (/usr/sbin is not on every PATH). */
export function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  const candidates = process.env.NGINX_PATH ? [process.env.NGINX_PATH] : dirs.map((dir) => join(dir, 'nginx'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RenderOptions {
  listenPort: number;
  appPorts: readonly number[];
  /** Where nginx keeps its pid, logs and temp files. */
  dir: string;
  /** false removes the sticky routing line: the control that shows what it is for. */
  sticky?: boolean;
}

function replaceExactlyOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1) throw new Error(`docs/deploy/nginx.conf: expected one ${what}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/**
 * The operator's file with only its addresses and paths changed, wrapped in the few main-context
 * lines a distribution's nginx.conf would give it.
 */
export function renderNginxConfig(template: string, options: RenderOptions): string {
  const serverLine = /^(\s*)server 127\.0\.0\.1:\d+ (.*);$/gm;
  const servers = template.match(serverLine) ?? [];
  if (servers.length !== options.appPorts.length) {
    throw new Error(`docs/deploy/nginx.conf names ${servers.length} app processes; the test starts ${options.appPorts.length}`);
  }
  let index = 0;
  let site = template.replace(serverLine, (_line, indent: string, rest: string) => `${indent}server 127.0.0.1:${options.appPorts[index++]} ${rest};`);
  site = replaceExactlyOnce(site, /^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${options.listenPort};`, '"listen 80;"');
  site = replaceExactlyOnce(site, /^(\s*)access_log \S+ flowboard;$/m, `$1access_log ${join(options.dir, 'access.log')} flowboard;`, 'access_log line');
  if (options.sticky === false) site = replaceExactlyOnce(site, /^\s*hash \$remote_addr consistent;$/m, '', 'hash line');
  const d = options.dir;
  return [
    'worker_processes 1;',
    `pid ${join(d, 'nginx.pid')};`,
    `error_log ${join(d, 'error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `  client_body_temp_path ${join(d, 'client_body')};`,
    `  proxy_temp_path ${join(d, 'proxy')};`,
    `  fastcgi_temp_path ${join(d, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(d, 'uwsgi')};`,
    `  scgi_temp_path ${join(d, 'scgi')};`,
    site,
    '}',
    '',
  ].join('\n');
}

/** Runs a child, keeps the tail of its output, and stops it with SIGTERM then SIGKILL. */
class Child {
  readonly tail: string[] = [];
  exited = false;
  readonly exit: Promise<void>;

  constructor(
    readonly label: string,
    readonly process: ChildProcess,
  ) {
    this.exit = new Promise((resolve) =>
      process.once('exit', () => {
        this.exited = true;
        resolve();
      }),
    );
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
      }
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exit;
    clearTimeout(timer);
  }

  failure(what: string): Error {
    return new Error(`${this.label}: ${what}\n${this.tail.join('\n')}`);
  }
}

export interface RunningNginx {
  url: string;
  port: number;
  /** The access log's lines so far (format `flowboard` of docs/deploy/nginx.conf). */
  accessLog(): AccessLine[];
  /** The first access log line that matches, waiting for it (bounded). */
  logLine(match: (line: AccessLine) => boolean): Promise<AccessLine>;
  stop(): Promise<void>;
}

export interface AccessLine {
  client: string;
  request: string;
  status: number;
  upstream: string;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** nginx in the foreground on the rendered configuration, its files in a fresh temp directory. */
export async function startNginx(binary: string, options: Omit<RenderOptions, 'dir' | 'listenPort'>): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'flowboard-nginx-'));
  // Run as root, nginx's workers drop to an unprivileged user that must reach the temp paths.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, renderNginxConfig(readFileSync(NGINX_TEMPLATE, 'utf8'), { ...options, dir, listenPort: port }));
  const spawned = spawn(binary, ['-e', join(dir, 'error.log'), '-p', dir, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const child = new Child('nginx', spawned);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (child.exited || Date.now() > deadline) {
      await child.stop();
      let log = '';
      try {
        log = readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        // no log written
      }
      throw child.failure(`did not listen on ${port}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const accessLog = () => parseAccessLog(readFileSync(join(dir, 'access.log'), 'utf8'));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog,
    async logLine(match) {
      const giveUpAt = Date.now() + LOG_WAIT_MS;
      for (;;) {
        const found = accessLog().find(match);
        if (found) return found;
        if (Date.now() > giveUpAt) throw new Error(`no matching line in nginx's access log within ${LOG_WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ACCESS_LINE = /^(\S+) \[[^\]]*\] "([^"]*)" (\d{3}) \d+ upstream=(\S+) time=/;

export function parseAccessLog(text: string): AccessLine[] {
  return text.split('\n').flatMap((line) => {
    const m = ACCESS_LINE.exec(line);
    return m ? [{ client: m[1] ?? '', request: m[2] ?? '', status: Number(m[3]), upstream: m[4] ?? '' }] : [];
  });
}

/** An HTTP agent whose connections leave from `address`, for REST and for socket.io-client. */
export const agentFrom = (address: string) => new Agent({ keepAlive: true, localAddress: address });

export interface HttpAnswer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** A JSON request from a chosen client address (fetch cannot choose one). */
export function httpJson<T = unknown>(
  url: string,
  options: { method?: string; body?: unknown; rawBody?: Buffer; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<HttpAnswer<T>> {
  const payload = options.rawBody ?? (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        agent: options.agent,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: nginx's own error pages
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
