import { CARD_TYPES } from '../../lib/shared/domain/types';
import { boardName, expect, shotPath, test, type Api, type SeededBoard } from './fixtures';

/**
 * A standup-sized board: 8 work centers, 100 cards, some blocked, some sent back (one twice), long
 * titles, a full column and one over its limit. The screenshots are for people to look at; the
 * assertions only hold the layout basics.
 */
const COLUMNS = [
  { name: 'Backlog', cards: 28, wipLimit: null },
  { name: 'Analysis', cards: 6, wipLimit: 6 },
  { name: 'Design', cards: 3, wipLimit: 4 },
  // Seeded with 12 and then limited to 10: a limit lowered below the count shows as over.
  { name: 'Develop', cards: 12, wipLimit: 10 },
  { name: 'Code review', cards: 3, wipLimit: 3 },
  { name: 'Test', cards: 4, wipLimit: 4 },
  { name: 'Deploy', cards: 1, wipLimit: 2 },
  { name: 'Done', cards: 43, wipLimit: null },
] as const;

const LONG_TITLES = [
  'Migrate the billing service from the legacy cron scheduler to event-driven jobs, keeping invoices idempotent across retries',
  'Investigate intermittent 502s on the checkout API behind the regional load balancer during the nightly batch window',
  'Rotate-credentials-for-payments-gateway-sandbox-and-production-without-downtime-https://wiki.example.com/runbooks/psp',
];

const BLOCKED_REASONS = ['Waiting for the security review', 'Vendor sandbox is down since Monday, ticket VND-4711 open with their support team', 'Needs a DBA'];

function titleOf(column: string, i: number): string {
  if (i % 7 === 3) return LONG_TITLES[i % LONG_TITLES.length] ?? '';
  return `${column} item ${i + 1}: ${['Login with SSO', 'Export report', 'Fix flaky deploy', 'Cache warmup', 'Audit trail'][i % 5]}`;
}

async function seedStandupBoard(api: Api): Promise<SeededBoard> {
  const board = await api.createBoard(
    boardName('Standup'),
    COLUMNS.map((c) => ({ name: c.name, wipLimit: null })),
  );
  // Columns seed in parallel; inside one, cards go in order. `k` numbers the cards of the board.
  const firstOf = COLUMNS.map((_, c) => COLUMNS.slice(0, c).reduce((sum, column) => sum + column.cards, 0));
  await Promise.all(
    COLUMNS.map(async (column, c) => {
      for (let i = 0; i < column.cards; i++) {
        const k = (firstOf[c] ?? 0) + i;
        await board.addCard({
          title: titleOf(column.name, i),
          column: column.name,
          type: CARD_TYPES[k % CARD_TYPES.length],
          blocked: k % 13 === 5,
          blockedReason: BLOCKED_REASONS[k % BLOCKED_REASONS.length],
        });
      }
    }),
  );
  // Defects passed downstream: cards sent back from Test to Develop, from Develop to Design, and
  // one from Code review to Develop twice.
  const fresh = (name: string) => board.snapshot.cards.filter((c) => c.columnId === board.column(name).id && c.defectCount === 0);
  const backward: Array<[string, string, string]> = [
    ['Develop', 'Test', 'Fails the load test at 10k accounts'],
    ['Develop', 'Test', 'Breaks the mobile layout'],
    ['Design', 'Develop', 'Contrast of the error state fails WCAG AA'],
  ];
  for (const [to, via, reason] of backward) {
    const card = fresh(to).at(-1);
    if (!card) throw new Error(`no card in ${to}`);
    await board.moveCard(card.id, via);
    await board.moveCard(card.id, to, reason);
  }
  const twice = fresh('Develop').at(0);
  if (!twice) throw new Error('no card in Develop');
  for (const reason of ['Missing migration', 'Migration not reversible']) {
    await board.moveCard(twice.id, 'Code review');
    await board.moveCard(twice.id, 'Develop', reason);
  }
  for (const column of COLUMNS) if (column.wipLimit !== null) await board.setWipLimit(column.name, column.wipLimit);
  return board;
}

test('a board with 8 work centers and 100 cards lays out on a laptop and on a standup screen', async ({ api, openViewer }, testInfo) => {
  const board = await seedStandupBoard(api);
  const seeded = await board.fetch();
  expect(seeded.cards).toHaveLength(100);
  expect(seeded.cards.filter((c) => c.defectCount > 0)).toHaveLength(4);

  const viewer = await openViewer(board.id, 'Alice', { viewport: { width: 1280, height: 800 } });
  await openViewer(board.id, 'Bob');
  const { page } = viewer;
  await expect(page.getByTestId('presence')).toHaveAttribute('data-count', '2');

  const expectLayout = async () => {
    for (const column of COLUMNS) {
      const region = page.getByRole('region', { name: column.name });
      await expect(region.getByRole('heading', { name: column.name })).toBeInViewport({ ratio: 1 });
      const count = region.getByTestId(/^column-count-/);
      await expect(count).toBeInViewport({ ratio: 1 });
      await expect(count).toHaveText(column.wipLimit === null ? String(column.cards) : `${column.cards}/${column.wipLimit}`);
    }
    await expect(page.getByRole('region', { name: 'Develop' }).getByTestId(/^column-count-/)).toHaveAttribute('data-wip-state', 'over');
    await expect(page.getByRole('region', { name: 'Analysis' }).getByTestId(/^column-count-/)).toHaveAttribute('data-wip-state', 'full');
    await expect(page.getByRole('region', { name: 'Develop' }).getByTestId(/^column-defects-/)).toHaveText('↩ 4 defects in 14d');
    // The whole stream fits without scrolling sideways, and nothing spills out of its column.
    const overflow = await page.getByRole('main').evaluate((main) => ({
      board: main.scrollWidth - main.clientWidth,
      columns: [...main.querySelectorAll('section')].filter((s) => s.scrollWidth > s.clientWidth).map((s) => s.getAttribute('aria-label')),
    }));
    expect(overflow).toEqual({ board: 0, columns: [] });
  };

  // Taken before the assertions, so a failing layout still leaves its picture behind.
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'board-1280x800.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'board-1920x1080.png') });
  await expectLayout();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectLayout();
});

test('on a phone the board header takes one line, and the work centers scroll sideways at a readable width', async ({ api, openViewer }, testInfo) => {
  const board = await seedStandupBoard(api);
  const viewer = await openViewer(board.id, 'Alice', { viewport: { width: 390, height: 844 } });
  const { page } = viewer;
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'board-390x844.png') });

  // One line: the name, the connection badge and the menu button share it, and the header is one row high.
  const header = page.getByTestId('board-header');
  const box = async (testId: string) => {
    const found = await page.getByTestId(testId).boundingBox();
    if (!found) throw new Error(`${testId} is not visible`);
    return found;
  };
  const line = await header.boundingBox();
  expect(line?.height).toBeLessThanOrEqual(56);
  for (const testId of ['board-name', 'connection-state', 'header-menu']) {
    const b = await box(testId);
    expect(b.y, testId).toBeGreaterThanOrEqual(line?.y ?? 0);
    expect(b.y + b.height, testId).toBeLessThanOrEqual((line?.y ?? 0) + (line?.height ?? 0));
  }
  await expect(page.getByTestId('open-flow')).toBeHidden();

  // Readable work centers, side by side: the board scrolls sideways inside its own area, the page does not.
  const widths = await page.getByRole('main').evaluate((main) => ({
    columns: [...main.querySelectorAll('section')].map((s) => s.getBoundingClientRect().width),
    boardScrolls: main.scrollWidth > main.clientWidth,
    pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  }));
  expect(widths.columns).toHaveLength(COLUMNS.length);
  for (const width of widths.columns) expect(width).toBeGreaterThanOrEqual(230);
  expect(widths.boardScrolls).toBe(true);
  expect(widths.pageScrolls).toBe(false);
  await page.getByRole('main').evaluate((main) => main.scrollBy({ left: 600 }));
  await expect(page.getByRole('region', { name: 'Develop' }).getByRole('heading', { name: 'Develop' })).toBeInViewport();

  // The rest of the header is behind Menu, by keyboard too; Escape folds it again and gives focus back.
  const menu = page.getByTestId('header-menu');
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('open-flow')).toBeVisible();
  await expect(page.getByTestId('open-members')).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'board-390x844-menu.png') });
  await page.getByTestId('open-flow').focus();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await expect(page.getByTestId('open-flow')).toBeHidden();
});
