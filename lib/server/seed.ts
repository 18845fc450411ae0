/**
 * The demo board a first visit opens: about eight weeks of history, made at seed time relative to
 * now through the store's own writes (a store whose clock is the simulation's), so every number on
 * the flow page, every aging mark, defect and blocked time comes out of the real log. The simulation
 * is a small pull system: arrivals at a weekly demand, pulls from the right when work in a work
 * center is done and the next one has room under its WIP limit, some defects sent back from Test,
 * some blocks with reasons. Seeded random: the same shape every time.
 */
import { DomainError } from '../shared/domain/errors';
import type { BoardSnapshot, CardType } from '../shared/domain/types';
import { createStore, type Store } from '../../db/store';
import { prng } from '../shared/random';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Eight weeks of history, ending yesterday evening. */
const HISTORY_DAYS = 56;
/** Working day 9:00–17:00 in four two-hour steps; nothing moves at the weekend. */
const STEPS_PER_DAY = 4;
/** Cards the customer asks for per week (also the board's demand setting). */
const DEMAND_PER_WEEK = 8;
/** Work per card in each work center, in working days (min, max); Test is the slow one. Concept and Done hold no work. */
const SERVICE_DAYS: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0.5, 2],
  [1.5, 4.5],
  [1, 2.5],
  [0.25, 1],
  [0.5, 1.5],
  [0, 0],
];
const TEST = 3;
const DEVELOP = 2;
/**
 * The story the flow page tells: for the last month Test has been losing people (its work per card
 * grows day by day, up to this factor), and its queue (limit TEST_WIP_LIMIT) has been filling since:
 * the bottleneck the page names, with the evidence its rule asks for.
 */
const TEST_SLOWDOWN = { lastDays: 32, factor: 4 };
const TEST_WIP_LIMIT = 10;
/** Chance that a card leaving Test goes back to Develop with a defect. */
const DEFECT_RATE = 0.15;
/** Per step: chance that a card in progress gets blocked, and that a blocked one gets unblocked. */
const BLOCK_RATE = 0.01;
const UNBLOCK_RATE = 0.15;

const TITLES = [
  'Self-service password reset',
  'Export invoices as CSV',
  'Dark mode for the status page',
  'Checkout flow: one-page layout',
  'Audit log retention policy',
  'Rate limiting on the public API',
  'Upgrade the payment SDK',
  'Search results ignore accents',
  'Webhook retries with backoff',
  'Slow dashboard on large accounts',
  'Blue/green deploy for the API',
  'Disk alerts on the queue hosts',
  'Two-factor sign-in',
  'Faster cold start',
  'Refund by bank transfer',
  'Card expiry reminders',
  'Currency rounding in reports',
  'Retry failed payouts',
  'SEPA direct debit mandates',
  'Fraud score on checkout',
  'Idempotency keys for payments',
  'Receipt e-mails in German',
  'Apple Pay on the web',
  'Merchant onboarding checklist',
  'Dispute evidence upload',
  'Payout schedule per merchant',
  'Split payments for marketplaces',
  'Tax IDs on invoices',
  'Archive old transactions',
  'Certificate rotation for the gateway',
  'Slow query on the ledger',
  'Timeouts on the bank connector',
  'Move cron jobs to the queue',
  'Alert on payout failures',
  'Read replicas for reporting',
  'Feature flags for checkout',
  'Partial captures',
  'Subscription pause and resume',
  'Proration on plan change',
  'Customer portal: saved cards',
  'Invoice PDFs with the merchant logo',
  'Chargeback alerts by e-mail',
  'Payment links that expire',
  'Bulk refunds from a CSV',
  'Test card numbers in the sandbox',
  'Webhook signature rotation',
  'Daily settlement report',
  'Retry card declines at night',
  'Health check for the PSP connector',
  'Log redaction of card numbers',
  'PCI scope review of the checkout',
  'Faster ledger reconciliation',
  'Multi-currency balances',
  'Payout holds for new merchants',
  'Smarter 3-D Secure exemptions',
  'Merchant statements per month',
  'Kill switch for a payment method',
  'Load test of the payout batch',
  'Trace IDs across services',
  'Backfill missing fee records',
  'Capture expired authorisations',
  'Account freeze on suspected fraud',
  'Dashboard: filter by payment method',
  'Sandbox for partner integrations',
  'Upgrade the database driver',
  'Rotate the API signing keys',
  'Reduce noisy pager alerts',
  'Cache exchange rates',
  'Accessible checkout form errors',
  'Remove the legacy v1 endpoints',
];
const TYPES: ReadonlyArray<readonly [CardType, number]> = [
  ['feature', 0.55],
  ['defect', 0.15],
  ['chore', 0.15],
  ['feedback', 0.1],
  ['incident', 0.05],
];
/** Most common first: the blocker panel shows them in about this order. */
const BLOCK_REASONS: ReadonlyArray<readonly [string, number]> = [
  ['Waiting for the vendor sandbox', 0.35],
  ['Waiting for security review', 0.25],
  ['Test environment down', 0.2],
  ['Needs a product decision', 0.12],
  ['Waiting for the bank’s API change', 0.08],
];
/**
 * Batch size (docs/metrics.md): every SPLIT_EVERY-th arrival is split in the backlog into two cards
 * with half its work each, so the flow page's batch-size panel has splits and finished slices to show.
 */
const SPLIT_EVERY = 5;
const SPLIT_WORK = 0.5;
const DEFECT_REASONS = ['Fails the load test at 10k accounts', 'Regression in the checkout flow', 'Missing acceptance criterion', 'Breaks on Safari', 'Wrong rounding in invoice totals'];


function weighted<T>(random: () => number, items: ReadonlyArray<readonly [T, number]>): T {
  let r = random();
  for (const [item, weight] of items) {
    if (r < weight) return item;
    r -= weight;
  }
  return (items.at(-1) as readonly [T, number])[0];
}

interface SimCard {
  id: string;
  column: number;
  /** Step at which its work in the current work center is done. */
  readyAt: number;
  blocked: boolean;
  /** A defect Test found: the card goes back to Develop as soon as Develop has room. */
  defect: string | null;
  /** Step the defect was found: after a day without room in Develop it is fixed in Test instead. */
  foundAt: number;
  /** Its share of a whole card's work: a slice of a split card has less. */
  work?: number;
}

/** A board a newcomer can play with at once, with a history the flow page can show. */
export async function seedDemoBoard(store: Store, now = Date.now()): Promise<BoardSnapshot> {
  const random = prng(20_261_204).next;
  const actor = { name: 'Flowboard demo' };
  const start = now - HISTORY_DAYS * DAY_MS;
  let clock = start;
  // The history's writes go through a store whose clock the simulation sets: the store's own rules
  // (WIP limits, reasons, events, projections) make every row.
  const history = createStore(store.engine, { clock: () => clock });
  const at = (target: number) => {
    clock = Math.max(clock + 1000, target);
  };

  const { board } = await history.createBoard({ name: 'Payments value stream' }, actor);
  await history.updateColumn({ columnId: (board.columns[TEST] as { id: string }).id, wipLimit: TEST_WIP_LIMIT }, actor);
  const columns = board.columns;
  const limits = columns.map((c, i) => (i === TEST ? TEST_WIP_LIMIT : c.wipLimit));
  await history.configureBoard({ boardId: board.id, demandPerWeek: DEMAND_PER_WEEK }, actor);

  const cards: SimCard[] = [];
  const countIn = (column: number) => cards.filter((c) => c.column === column).length;
  const hasRoom = (column: number, held = 0) => {
    const limit = limits[column];
    return limit === null || limit === undefined || countIn(column) + held < limit;
  };
  /** Places in Develop that returning defects wait for: a pull from Design does not take them. */
  const returning = () => cards.filter((c) => c.defect !== null).length;
  let testSlowdown = 1;
  const serviceSteps = (column: number) => {
    const [lo, hi] = SERVICE_DAYS[column] ?? [0, 0];
    const slowdown = column === TEST ? testSlowdown : 1;
    return Math.round((lo + random() * (hi - lo)) * slowdown * STEPS_PER_DAY);
  };
  let titles = 0;
  const arrive = async (step: number) => {
    const base = TITLES[titles % TITLES.length] as string;
    const round = Math.floor(titles / TITLES.length);
    titles++;
    const title = round === 0 ? base : `${base} (part ${round + 1})`;
    const { card } = await history.createCard({ boardId: board.id, columnId: (columns[0] as { id: string }).id, title, type: weighted(random, TYPES) }, actor);
    if (titles % SPLIT_EVERY !== 0) {
      cards.push({ id: card.id, column: 0, readyAt: step, blocked: false, defect: null, foundAt: 0 });
      return;
    }
    const slices = await history.splitCard({ cardId: card.id, titles: [`${title}: first slice`, `${title}: second slice`] }, actor);
    for (const slice of slices.cards) cards.push({ id: slice.id, column: 0, readyAt: step, blocked: false, defect: null, foundAt: 0, work: SPLIT_WORK });
  };
  const move = async (card: SimCard, to: number, step: number, reason?: string) => {
    try {
      await history.moveCard({ cardId: card.id, toColumnId: (columns[to] as { id: string }).id, reason }, actor);
    } catch (error) {
      // The simulation counts like the store; should they ever differ, the store's refusal wins.
      if (error instanceof DomainError) return;
      throw error;
    }
    card.column = to;
    card.readyAt = step + Math.round(serviceSteps(to) * (card.work ?? 1));
    if (to !== TEST) card.foundAt = 0;
  };

  for (let i = 0; i < 8; i++) await arrive(0);
  const last = columns.length - 1;
  let step = 0;
  for (let day = 0; day < HISTORY_DAYS; day++) {
    const into = day - (HISTORY_DAYS - TEST_SLOWDOWN.lastDays);
    testSlowdown = into < 0 ? 1 : 1 + ((TEST_SLOWDOWN.factor - 1) * into) / TEST_SLOWDOWN.lastDays;
    const dayStart = start + day * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let s = 0; s < STEPS_PER_DAY; s++, step++) {
      at(dayStart + (9 + 2 * s) * HOUR_MS + Math.floor(random() * 30) * 60_000);
      const active = cards.filter((c) => c.column > 0 && c.column < last);
      for (const card of active) {
        if (card.blocked && random() < UNBLOCK_RATE) {
          at(clock + Math.floor(random() * 10) * 60_000);
          await history.updateCard({ cardId: card.id, blocked: false }, actor);
          card.blocked = false;
          // The wait is over, the work is not: it resumes where it stopped.
          card.readyAt = Math.max(card.readyAt, step + 1);
        } else if (!card.blocked && card.column < last - 1 && random() < BLOCK_RATE) {
          at(clock + Math.floor(random() * 10) * 60_000);
          await history.updateCard({ cardId: card.id, blocked: true, blockedReason: weighted(random, BLOCK_REASONS) }, actor);
          card.blocked = true;
        }
      }
      // Pull from the right: the work center closest to done frees its room first.
      for (let column = last - 1; column >= 0; column--) {
        const ready = cards.filter((c) => c.column === column && !c.blocked && c.readyAt <= step).toSorted((a, b) => a.readyAt - b.readyAt);
        for (const card of ready) {
          at(clock + Math.floor(random() * 15) * 60_000);
          if (column === TEST && card.defect === null && card.foundAt === 0 && random() < DEFECT_RATE) {
            card.defect = DEFECT_REASONS[Math.floor(random() * DEFECT_REASONS.length)] as string;
            card.foundAt = step;
          }
          if (card.defect !== null) {
            if (hasRoom(DEVELOP)) {
              const reason = card.defect;
              card.defect = null;
              await move(card, DEVELOP, step, reason);
            } else if (step - card.foundAt >= STEPS_PER_DAY) {
              // No room to send it back: fixed where it is, which takes a while.
              card.defect = null;
              card.readyAt = step + serviceSteps(TEST);
            }
          } else if (hasRoom(column + 1, column + 1 === DEVELOP ? returning() : 0)) {
            await move(card, column + 1, step);
          }
        }
      }
      // Arrivals at the weekly demand (five working days, four steps each), a little uneven.
      let arrivals = DEMAND_PER_WEEK / (5 * STEPS_PER_DAY);
      while (random() < arrivals) {
        at(clock + Math.floor(random() * 20) * 60_000);
        await arrive(step);
        arrivals -= 1;
      }
    }
  }
  // Lanes: an urgent fix rides the expedite lane into Develop (full or not: that is what expedite
  // means, its own lane holds one at a time); the next urgent one waits in the backlog's lane.
  at(now - 3 * HOUR_MS);
  const { lane } = await history.addLane({ boardId: board.id, name: 'Expedite', classOfService: 'expedite' }, actor);
  const first = (columns[0] as { id: string }).id;
  const urgent = (await history.createCard({ boardId: board.id, columnId: first, laneId: lane.id, title: 'Card payments fail for one issuer', type: 'incident' }, actor)).card;
  at(now - 2 * HOUR_MS);
  await history.moveCard({ cardId: urgent.id, toColumnId: (columns[DEVELOP] as { id: string }).id }, actor);
  at(now - HOUR_MS);
  await history.createCard({ boardId: board.id, columnId: first, laneId: lane.id, title: 'Refund webhook drops events', type: 'defect' }, actor);
  await history.flow.settle(board.id);
  return store.getSnapshot(board.id);
}
