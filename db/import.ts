/**
 * Writes a validated CSV import plan (lib/shared/flow/csv.ts) as a new board whose history is the file's:
 * every item's entries become events dated in the past, numbered in time order, with the flow
 * aggregates written alongside, so the CFD and the metrics are right at once.
 *
 * A large file (100,000 items is about 700,000 events) is written in slices of a few thousand rows,
 * one short transaction each, yielding to the event loop in between: other boards keep being served
 * while it runs. The board stays hidden (`importing`) until the last slice; if anything fails the
 * slices already written are deleted, and a board left half-written by a crash is deleted at the next
 * start (store.flow.ensureReady). So nothing is ever half-imported. Rows go in as multi-row inserts:
 * on PostgreSQL one statement per row would be a round trip each.
 */
import { defaultKeyPrefix, keysOfFile } from '../lib/shared/domain/keys';
import { generateNKeysBetween } from 'fractional-indexing';
import type { Engine, Param, WriteTx } from './engine';
import { BUMP_DAILY, BUMP_HOURLY, discardBoard, resolveCommitment } from './flow';
import { defaultLane, defaultLaneId } from '../lib/shared/domain/lanes';
import type { CardDTO, ColumnDTO } from '../lib/shared/domain/types';
import { peopleNamesOf, type ImportPlan } from '../lib/shared/flow/csv';
import { LIMITS } from '../lib/shared/domain/limits';
import { K, counterKey, dayBucket, hourBucket, zeroCounters, type Kind } from '../lib/shared/flow/replay';

export interface ImportResult {
  boardId: string;
  version: number;
  items: number;
  events: number;
  /**
   * People named in Owner, Assignee or Assignees columns: how many cards were assigned to a board
   * member (the new board's only member is the importer), and the names that matched no member,
   * kept on their cards' descriptions as "Owner (not a member): …".
   */
  people: { assigned: number; notMembers: string[] };
}

export interface ImportOptions {
  name: string;
  actor: string;
  /** The importing account: recorded on the events and made the board's admin, as for a new board. */
  actorId?: string | null;
  newId: () => string;
  /** Called after each slice with the share done, 0 to 1. */
  onProgress?: (done: number) => void;
}

/** Rows per transaction: each slice holds the event loop for a few tens of milliseconds at most. */
const SLICE = 2000;
/** An item writes about ten rows (card, its flow rows, its import record). */
const ITEMS_PER_SLICE = SLICE / 10;

type Body = Record<string, unknown> & { type: string };

const iso = (ms: number) => new Date(ms).toISOString();
/** Rows per insert statement: well under SQLite's limit of bound parameters. */
const ROWS_PER_INSERT = 200;

async function insertRows(tx: WriteTx, head: string, width: number, rows: readonly Param[][]): Promise<void> {
  for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
    const batch = rows.slice(from, from + ROWS_PER_INSERT);
    const one = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    await tx.run(`${head} values ${batch.map(() => one).join(', ')}`, batch.flat());
  }
}
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The aggregates of an imported item straight from its dates, which only go forward: the reached
 * time at position k is the first date at or after k. (The property of lib/shared/flow/replay.ts holds:
 * tests/unit/flow-csv.test.ts compares the result with a full recomputation.)
 */
function itemFlow(dates: readonly (number | null)[]) {
  const reached: (number | null)[] = dates.map(() => null);
  let next: number | null = null;
  for (let k = dates.length - 1; k >= 0; k--) {
    if (dates[k] !== null) next = dates[k] as number;
    reached[k] = next;
  }
  const steps = dates.map((at, column) => ({ at, column })).filter((s): s is { at: number; column: number } => s.at !== null);
  return { reached, steps };
}

/**
 * Indexes of `at` in time order; equal times keep their index order (the file's order, and an item's
 * own steps in workflow order). A counting pass by hour, then small sorts inside each hour: one
 * comparison sort of 700,000 steps held the event loop for half a second.
 */
function timeOrder(at: Float64Array): Uint32Array {
  const n = at.length;
  const order = new Uint32Array(n);
  if (n === 0) return order;
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of at) {
    lo = Math.min(lo, hourBucket(t));
    hi = Math.max(hi, hourBucket(t));
  }
  const starts = new Uint32Array(hi - lo + 2);
  for (const t of at) {
    const b = hourBucket(t) - lo + 1;
    starts[b] = (starts[b] as number) + 1;
  }
  for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
  const fill = starts.slice();
  for (let i = 0; i < n; i++) {
    const b = hourBucket(at[i] as number) - lo;
    order[fill[b] as number] = i;
    fill[b] = (fill[b] as number) + 1;
  }
  for (let b = 0; b + 1 < starts.length; b++) {
    const from = starts[b] as number;
    const to = starts[b + 1] as number;
    if (to - from > 1) order.subarray(from, to).sort((x, y) => (at[x] as number) - (at[y] as number) || x - y);
  }
  return order;
}

/**
 * Who each item names (Owner, Assignee, Assignees): the importer, matched by name or email without
 * regard to case, is assigned; anyone else is kept as text on the card's description. Sparse arrays:
 * most files name nobody.
 */
async function peopleOfItems(engine: Engine, plan: ImportPlan, actorId: string | null) {
  const assignees: string[][] = [];
  const descriptions: string[] = [];
  const notMembers = new Map<string, string>();
  let assigned = 0;
  const me = actorId ? await engine.read((sql) => sql.get<{ name: string; email: string }>('select name, email from users where id = ?', [actorId])) : undefined;
  const isMe = (name: string) => me !== undefined && (name.toLowerCase() === me.name.trim().toLowerCase() || name.toLowerCase() === me.email.trim().toLowerCase());
  plan.items.forEach((item, i) => {
    const names = peopleNamesOf(item.attributes);
    if (names.length === 0) return;
    const others = names.filter((n) => !isMe(n));
    if (others.length < names.length && actorId) {
      assignees[i] = [actorId];
      assigned++;
    }
    if (others.length > 0) {
      descriptions[i] = `Owner (not a member): ${others.join(', ')}`.slice(0, LIMITS.cardDescription);
      for (const n of others) if (!notMembers.has(n.toLowerCase())) notMembers.set(n.toLowerCase(), n);
    }
  });
  return { assignees, descriptions, assigned, notMembers: [...notMembers.values()] };
}

export async function importBoard(engine: Engine, plan: ImportPlan, opts: ImportOptions): Promise<ImportResult> {
  const boardId = opts.newId();
  const start = plan.earliest;
  // A work center where an item waits in its done half (the file's Stage column) comes split.
  const waitingIn = new Set(plan.items.flatMap((it) => (it.stage === 'done' ? [it.dates.findLastIndex((d) => d !== null)] : [])));
  const columns: ColumnDTO[] = plan.workCenters.map((name, i) => ({ id: opts.newId(), boardId, name, wipLimit: null, defectsReturned: 0, split: waitingIn.has(i) }));
  const commit = resolveCommitment(columns, null);
  const commitIndex = columns.findIndex((c) => c.id === commit);
  const last = columns.length - 1;

  // Plan in memory first, a slice at a time: positions, the steps in time order, the counters.
  const cardIds = plan.items.map(() => opts.newId());
  // An export read back keeps its keys (its Key column); any other file is numbered in its order.
  const fileKeys = keysOfFile(plan.items.map((it) => Object.entries(it.attributes).find(([h]) => h.trim().toLowerCase() === 'key')?.[1]));
  const numberOf = (i: number) => fileKeys?.numbers[i] ?? i + 1;
  const keyPrefix = fileKeys?.prefix ?? defaultKeyPrefix(opts.name);
  const people = await peopleOfItems(engine, plan, opts.actorId ?? null);
  const flows = plan.items.map((it) => itemFlow(it.dates));
  const finalColumn = flows.map((f) => (f.steps.at(-1) as { column: number }).column);
  const positions: string[] = [];
  columns.forEach((_, ci) => {
    const here = plan.items.flatMap((__, i) => (finalColumn[i] === ci ? [i] : []));
    // The last work center lists its cards newest first (lib/shared/domain/doneOrder.ts).
    if (ci === last) here.sort((a, b) => (flows[b]?.steps.at(-1)?.at ?? 0) - (flows[a]?.steps.at(-1)?.at ?? 0) || a - b);
    const keys = generateNKeysBetween(null, null, here.length);
    here.forEach((i, k) => (positions[i] = keys[k] as string));
  });
  const counters = new Map<string, { columnId: string; at: number; values: number[] }>();
  const count = (column: number, at: number, kind: Kind) => {
    const columnId = (columns[column] as ColumnDTO).id;
    const key = counterKey(columnId, hourBucket(at));
    const row = counters.get(key) ?? { columnId, at, values: zeroCounters() };
    row.values[K[kind]] = (row.values[K[kind]] ?? 0) + 1;
    counters.set(key, row);
  };
  // Steps as numbers only (item, step index, time); their JSON is built when their slice is written.
  const stepCount = flows.reduce((n, f) => n + f.steps.length, 0);
  const stepItem = new Uint32Array(stepCount);
  const stepIndex = new Uint16Array(stepCount);
  const stepAt = new Float64Array(stepCount);
  let n = 0;
  for (let i = 0; i < flows.length; i++) {
    if (i % SLICE === 0) await nextTick();
    const { reached, steps } = flows[i] as ReturnType<typeof itemFlow>;
    reached.forEach((at, k) => at !== null && count(k, at, 'reached'));
    steps.forEach((step, k) => {
      count(step.column, step.at, 'entered');
      if (k > 0) count((steps[k - 1] as { column: number }).column, step.at, 'exited');
      stepItem[n] = i;
      stepIndex[n] = k;
      stepAt[n] = step.at;
      n++;
    });
  }
  await nextTick();
  const order = timeOrder(stepAt);
  await nextTick();

  const bodyOf = (i: number, k: number): Body => {
    const item = plan.items[i] as ImportPlan['items'][number];
    const steps = (flows[i] as ReturnType<typeof itemFlow>).steps;
    const step = steps[k] as { at: number; column: number };
    const cardId = cardIds[i] as string;
    const columnId = (columns[step.column] as ColumnDTO).id;
    if (k === 0) {
      const card: CardDTO = {
        id: cardId,
        boardId,
        columnId,
        laneId: defaultLaneId(boardId),
        position: positions[i] as string,
        title: item.title,
        description: (people.descriptions[i] as string | undefined) ?? '',
        type: item.type,
        blocked: false,
        blockedReason: null,
        blockedMs: item.blockedMs,
        blockedSince: null,
        defectCount: 0,
        createdAt: iso(step.at),
        updatedAt: iso(step.at),
        enteredColumnAt: iso(step.at),
        assigneeIds: (people.assignees[i] as string[] | undefined) ?? [],
        stage: steps.length === 1 ? item.stage : 'doing',
        number: numberOf(i),
        parentId: null,
      };
      return { type: 'card_created', card };
    }
    return {
      type: 'card_moved',
      cardId,
      fromColumnId: (columns[(steps[k - 1] as { column: number }).column] as ColumnDTO).id,
      toColumnId: columnId,
      // The file gives no time for the card's finishing: it arrives in the done half with its last step.
      ...(k === steps.length - 1 && item.stage === 'done' ? { fromStage: 'doing' as const, toStage: 'done' as const } : {}),
      position: positions[i],
      backward: false,
      reason: null,
      detectedAtColumnId: null,
      returnedToColumnId: null,
    };
  };
  const total = 1 + stepCount + plan.items.length + counters.size;
  let done = 0;
  const progress = (rows: number) => {
    done += rows;
    opts.onProgress?.(Math.min(1, done / total));
  };

  try {
    await engine.write(async (tx) => {
      await tx.run('insert into boards (id, name, version, created_at, flow_ready, importing, flow_version, key_prefix) values (?, ?, 0, ?, true, true, 0, ?)', [boardId, opts.name, start, keyPrefix]);
      await insertRows(
        tx,
        'insert into columns (id, board_id, name, ord, wip_limit, created_at, removed_at, flow_ord, split)',
        9,
        columns.map((c, i) => [c.id, boardId, c.name, i, null, start, null, i, c.split]),
      );
      // The board's one default lane (a board_created without lanes names it: lib/shared/domain/lanes.ts).
      await tx.run("insert into lanes (id, board_id, name, class_of_service, wip_limit, ord, created_at, deleted_at) values (?, ?, ?, 'standard', null, 0, ?, null)", [
        defaultLaneId(boardId),
        boardId,
        defaultLane(boardId).name,
        start,
      ]);
      await tx.run('insert into events (board_id, version, type, actor, actor_id, at, card_id, data) values (?, 1, ?, ?, ?, ?, null, ?)', [
        boardId,
        'board_created',
        opts.actor,
        opts.actorId ?? null,
        start,
        JSON.stringify({ name: opts.name, columns, keyPrefix }),
      ]);
      if (opts.actorId) await tx.run("insert into board_members (board_id, user_id, role, created_at) values (?, ?, 'admin', ?)", [boardId, opts.actorId, Date.now()]);
    });
    progress(1);

    for (let from = 0; from < stepCount; from += SLICE) {
      await nextTick();
      const rows: Param[][] = [];
      for (let v = from; v < Math.min(from + SLICE, stepCount); v++) {
        const x = order[v] as number;
        const i = stepItem[x] as number;
        const { type, ...data } = bodyOf(i, stepIndex[x] as number);
        rows.push([boardId, v + 2, type, opts.actor, opts.actorId ?? null, stepAt[x] as number, cardIds[i] as string, JSON.stringify(data)]);
      }
      await engine.write((tx) => insertRows(tx, 'insert into events (board_id, version, type, actor, actor_id, at, card_id, data)', 8, rows));
      progress(Math.min(SLICE, stepCount - from));
    }

    for (let from = 0; from < plan.items.length; from += ITEMS_PER_SLICE) {
      await nextTick();
      const cardRows: Param[][] = [];
      const itemRows: Param[][] = [];
      const flowRows: Param[][] = [];
      const flowCardRows: Param[][] = [];
      for (let i = from; i < Math.min(from + ITEMS_PER_SLICE, plan.items.length); i++) {
        const item = plan.items[i] as ImportPlan['items'][number];
        const cardId = cardIds[i] as string;
        const { reached, steps } = flows[i] as ReturnType<typeof itemFlow>;
        const first = (steps[0] as { at: number }).at;
        const latest = (steps.at(-1) as { at: number }).at;
        const column = (columns[finalColumn[i] as number] as ColumnDTO).id;
        cardRows.push([
          cardId,
          boardId,
          column,
          defaultLaneId(boardId),
          positions[i] as string,
          item.title,
          (people.descriptions[i] as string | undefined) ?? '',
          item.type,
          item.blockedMs,
          first,
          latest,
          latest,
          JSON.stringify((people.assignees[i] as string[] | undefined) ?? []),
          item.stage,
          numberOf(i),
        ]);
        itemRows.push([cardId, boardId, i, item.externalId, item.link, JSON.stringify(item.attributes)]);
        reached.forEach((at, k) => {
          if (at !== null) flowRows.push([cardId, (columns[k] as ColumnDTO).id, boardId, item.dates[k] ?? null, at]);
        });
        flowCardRows.push([cardId, boardId, item.title, first, reached[commitIndex] ?? null, reached[last] ?? null, column, column]);
      }
      await engine.write(async (tx) => {
        await insertRows(
          tx,
          'insert into cards (id, board_id, column_id, lane_id, position, title, description, type, blocked_ms, created_at, updated_at, entered_column_at, assignee_ids, stage, number)',
          15,
          cardRows,
        );
        await insertRows(tx, 'insert into imported_items (card_id, board_id, ord, external_id, link, attributes)', 6, itemRows);
        await insertRows(tx, 'insert into card_flow (card_id, column_id, board_id, entered_at, reached_at)', 5, flowRows);
        await insertRows(tx, 'insert into flow_cards (card_id, board_id, title, created_at, committed_at, done_at, furthest_id, column_id)', 8, flowCardRows);
      });
      progress(Math.min(ITEMS_PER_SLICE, plan.items.length - from));
    }

    const rows = [...counters.values()];
    // Two upserts per counter row.
    for (let from = 0; from < rows.length; from += SLICE / 2) {
      await nextTick();
      await engine.write(async (tx) => {
        for (const { columnId, at, values } of rows.slice(from, from + SLICE / 2)) {
          await tx.run(BUMP_HOURLY, [boardId, columnId, hourBucket(at), ...values]);
          await tx.run(BUMP_DAILY, [boardId, columnId, dayBucket(at), ...values]);
        }
      });
      progress(Math.min(SLICE / 2, rows.length - from));
    }

    await nextTick();
    const version = stepCount + 1;
    // The aggregates were written with the events: the cursor starts at the end of the log.
    await engine.write((tx) => tx.run('update boards set version = ?, flow_version = ?, importing = false where id = ?', [version, version, boardId]));
    return { boardId, version, items: plan.items.length, events: version, people: { assigned: people.assigned, notMembers: people.notMembers } };
  } catch (error) {
    await discardBoard(engine, boardId).catch(() => undefined);
    throw error;
  }
}
