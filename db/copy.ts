/**
 * `cli db:copy`: moves a SQLite database into an empty PostgreSQL one, table by table in the order
 * their references need, a page at a time, then checks it: the same row count in every table and the
 * same log, event by event, for every board.
 */
import { createHash } from 'node:crypto';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { Engine, Param, Sql } from './engine';
import * as pgSchema from './postgres/schema';
import * as sqliteSchema from './sqlite/schema';

/** Parents before children (foreign keys), as both schemas declare them. */
const TABLES = [
  'users',
  'accounts',
  'sessions',
  'verifications',
  'instance_settings',
  'boards',
  'columns',
  'lanes',
  'lane_column_limits',
  'cards',
  'events',
  'backward_moves',
  'card_flow',
  'flow_counts_hourly',
  'flow_counts_daily',
  'flow_cards',
  'imported_items',
  'board_members',
  'board_invites',
  'board_email_invites',
  'api_tokens',
  'inbound_hooks',
  'inbound_hook_log',
  'inbound_deliveries',
  'alert_cards',
  'webhooks',
  'webhook_outbox',
  'webhook_deliveries',
] as const;
// `import_leases` is left out: a lease belongs to an import running on the old database.
const PAGE = 1000;

/** A schema module's tables by name. */
export const schemaTables = (schema: Record<string, unknown>): Map<string, Table> =>
  new Map(
    Object.values(schema)
      .filter((t): t is Table => typeof t === 'object' && t !== null && Symbol.for('drizzle:IsDrizzleTable') in t)
      .map((t) => [getTableName(t), t]),
  );

export interface CopyReport {
  rows: Record<string, number>;
  boards: number;
}

export async function copyDatabase(from: Engine, to: Engine, onProgress: (line: string) => void = () => {}): Promise<CopyReport> {
  const source = schemaTables(sqliteSchema);
  const target = schemaTables(pgSchema);
  const existing = await to.read((sql) => sql.get<{ n: number }>('select (select count(*) from boards) + (select count(*) from users) as n'));
  if ((existing?.n ?? 0) > 0) throw new Error('The target database already has boards or accounts: copy into an empty database');

  const rows: Record<string, number> = {};
  for (const name of TABLES) {
    const columns = Object.values(getTableColumns(target.get(name) as Table));
    const names = columns.map((c) => c.name);
    // SQLite keeps booleans as 0/1 and better-auth's times as milliseconds.
    const convert = columns.map((c) =>
      c.columnType === 'PgBoolean' ? (v: unknown) => (v === null ? null : Boolean(v)) : c.columnType === 'PgTimestamp' ? (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString()) : (v: unknown) => v,
    );
    if (!source.has(name)) throw new Error(`No table ${name} in the SQLite schema`);
    const order = name === 'events' ? 'seq' : 'rowid';
    let copied = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await from.read((sql) => sql.values<unknown[]>(`select ${names.join(', ')} from ${name} order by ${order} limit ? offset ?`, [PAGE, offset]));
      if (page.length === 0) break;
      const one = `(${names.map(() => '?').join(', ')})`;
      await to.write((tx) => tx.run(`insert into ${name} (${names.join(', ')}) values ${page.map(() => one).join(', ')}`, page.flatMap((r) => r.map((v, i) => (convert[i] as (v: unknown) => unknown)(v) as Param))));
      copied += page.length;
    }
    rows[name] = copied;
    onProgress(`${name}: ${copied}`);
  }
  // The sequence continues after the copied events.
  await to.write((tx) => tx.run("select setval(pg_get_serial_sequence('events', 'seq'), greatest((select max(seq) from events), 1))"));
  return { rows, boards: await verifyCopy(from, to, rows) };
}

/** Equal counts in every table and, for every board, the same log digest; returns how many boards. */
async function verifyCopy(from: Engine, to: Engine, rows: Record<string, number>): Promise<number> {
  for (const name of TABLES) {
    const n = (await to.read((sql) => sql.get<{ n: number }>(`select count(*) as n from ${name}`)))?.n ?? 0;
    if (Number(n) !== rows[name]) throw new Error(`Copy check failed: ${name} has ${n} rows in PostgreSQL, ${rows[name]} in SQLite`);
  }
  const boards = await from.read((sql) => sql.all<{ id: string }>('select id from boards order by id'));
  for (const { id } of boards) {
    const [a, b] = await Promise.all([from.read((sql) => logDigest(sql, id)), to.read((sql) => logDigest(sql, id))]);
    if (a !== b) throw new Error(`Copy check failed: the log of board ${id} differs`);
  }
  return boards.length;
}

async function logDigest(sql: Sql, boardId: string): Promise<string> {
  const hash = createHash('sha256');
  for (let after = 0; ; ) {
    const page = await sql.values<[number, string, string, string | null, number, string | null, string]>(
      'select version, type, actor, actor_id, at, card_id, data from events where board_id = ? and version > ? order by version limit ?',
      [boardId, after, PAGE],
    );
    if (page.length === 0) return hash.digest('hex');
    for (const row of page) hash.update(JSON.stringify(row.map((v) => (typeof v === 'bigint' ? Number(v) : v))));
    after = (page.at(-1) as [number, ...unknown[]])[0];
  }
}
