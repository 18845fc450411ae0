import type { LaneDTO } from '../../lib/shared/domain/types';
import { boardName, expect, shotPath, test, type Api, type SeededBoard, type Viewer } from './fixtures';

/** Lanes by REST, as an integration would add them. */
async function addLane(api: Api, board: SeededBoard, body: { name: string; classOfService: string; wipLimit?: number | null }): Promise<LaneDTO> {
  const { lane } = await api.call<{ lane: LaneDTO }>('POST', `/api/boards/${board.id}/lanes`, body);
  return lane;
}

const cell = (viewer: Viewer, columnId: string, laneId: string) => viewer.page.getByTestId(`cell-${columnId}-${laneId}`);

/** A pointer drag of a card onto the middle of a cell. */
async function dragToCell(viewer: Viewer, cardId: string, columnId: string, laneId: string): Promise<void> {
  await viewer.startDrag(cardId);
  const target = cell(viewer, columnId, laneId);
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('the cell has no box');
  await viewer.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
}

test('a card dragged into the expedite lane passes a full work center and reaches the other browser; the lane at its limit refuses the next', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Lanes'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 1 }, { name: 'Test' }, { name: 'Done' }]);
  const expedite = await addLane(api, board, { name: 'Expedite', classOfService: 'expedite' });
  const standard = (await board.fetch()).lanes.find((l) => l.classOfService === 'standard');
  if (!standard) throw new Error('no standard lane');
  await board.addCard({ title: 'Regular work', column: 'Develop' });
  const [urgent, next] = await board.addCards('Backlog', ['Payments down for one issuer', 'Certificate expires today']);
  if (!urgent || !next) throw new Error('seed failed');
  const develop = board.column('Develop').id;

  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  await expect(alice.page.getByTestId(`lane-${expedite.id}`)).toContainText('Expedite');
  await expect(alice.page.getByTestId(`lane-count-${expedite.id}`)).toHaveText(/0\/1/);

  // The standard cell of Develop refuses (the work center is full); the expedite cell takes it.
  await dragToCell(alice, urgent.id, develop, standard.id);
  await expect(cell(alice, develop, standard.id)).toHaveAttribute('data-drop-state', 'refused');
  await expect(cell(alice, develop, expedite.id)).toHaveAttribute('data-drop-state', 'allowed');
  const target = await cell(alice, develop, expedite.id).boundingBox();
  if (!target) throw new Error('no cell');
  await alice.page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
  await alice.page.mouse.up();

  await expect(cell(alice, develop, expedite.id).getByTestId(`card-${urgent.id}`)).toBeVisible();
  await expect(cell(bob, develop, expedite.id).getByTestId(`card-${urgent.id}`)).toBeVisible();
  await expect(bob.page.getByTestId(`lane-count-${expedite.id}`)).toHaveText(/1\/1/);
  await expect(bob.page.getByTestId(`lane-count-${expedite.id}`)).toHaveAttribute('data-wip-state', 'full');
  expect((await board.fetch()).cards.find((c) => c.id === urgent.id)).toMatchObject({ columnId: develop, laneId: expedite.id });
  // The card names its lane, and its history the move into it.
  await bob.card(urgent.id).click();
  const dialog = bob.page.getByTestId('card-dialog');
  await expect(dialog.getByTestId('card-lane')).toHaveText('Expedite lane');
  await expect(dialog.getByText('Moved from Backlog to Develop, into the Expedite lane')).toBeVisible();
  await bob.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The lane is at its own limit: the next expedite card is refused anywhere in progress, and says why.
  await dragToCell(bob, next.id, board.column('Test').id, expedite.id);
  await expect(cell(bob, board.column('Test').id, expedite.id)).toHaveAttribute('data-drop-state', 'refused');
  await expect(bob.page.getByTestId(`cell-refused-${board.column('Test').id}-${expedite.id}`)).toContainText('The Expedite lane is at its WIP limit (1 of 1 in progress)');
  await bob.page.mouse.up();
  await expect(bob.page.getByText('The Expedite lane is at its WIP limit (1 of 1 in progress): finish or move one of its cards out first').first()).toBeVisible();
  await expect(cell(bob, board.column('Backlog').id, standard.id).getByTestId(`card-${next.id}`)).toBeVisible();
  expect((await board.fetch()).cards.find((c) => c.id === next.id)).toMatchObject({ columnId: board.column('Backlog').id, laneId: standard.id });
});

test('lanes are managed from the board settings by keyboard: add, rename, and a removal that is confirmed', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Lane settings'), [{ name: 'Backlog' }, { name: 'Develop' }, { name: 'Done' }]);
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  const { page } = alice;
  // One lane: no lane header.
  await expect(page.getByTestId('lane-grid')).toHaveCount(0);
  await page.getByTestId('board-settings').click();
  const dialog = page.getByTestId('board-settings-dialog');
  await dialog.getByTestId('new-lane-name').fill('Fixed date');
  await dialog.getByTestId('new-lane-class').selectOption('fixed_date');
  await dialog.getByTestId('new-lane-name').press('Enter');
  await expect(dialog.getByTestId(/^lane-row-/)).toHaveCount(2);
  await expect(bob.page.getByTestId('lane-grid')).toBeVisible();
  const row = dialog.getByTestId(/^lane-row-/).nth(1);
  await row.getByTestId('lane-name').fill('Deadlines');
  await row.getByTestId('lane-name').press('Enter');
  await expect(bob.page.getByRole('heading', { name: /Deadlines/ })).toBeVisible();
  // The rename's own answer redraws the row: focus the button once it is drawn, and press only when it has focus.
  const remove = dialog.getByTestId(/^lane-row-/).nth(1).getByTestId('lane-remove');
  await expect(page.getByRole('heading', { name: /Deadlines/ })).toBeVisible();
  await remove.focus();
  await expect(remove).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alertdialog')).toContainText('Remove the Deadlines lane?');
  await dialog.getByTestId('lane-remove-confirm').focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId(/^lane-row-/)).toHaveCount(1);
  await expect(bob.page.getByTestId('lane-grid')).toHaveCount(0);
});

const EIGHT = ['Backlog', 'Analysis', 'Design', 'Develop', 'Code review', 'Test', 'Deploy', 'Done'];

test('a board with 3 lanes and 8 work centers on a laptop, a standup screen and a phone', async ({ api, openViewer }, testInfo) => {
  const board = await api.createBoard(
    boardName('Three lanes'),
    EIGHT.map((name, i) => ({ name, wipLimit: i === 0 || i === 7 ? null : 4 })),
  );
  const expedite = await addLane(api, board, { name: 'Expedite', classOfService: 'expedite' });
  const fixed = await addLane(api, board, { name: 'Regulatory deadlines', classOfService: 'fixed_date', wipLimit: 3 });
  await api.call('PATCH', `/api/lanes/${fixed.id}`, { cellLimits: { [board.column('Test').id]: 1 } });
  const lanes = [expedite.id, (await board.fetch()).lanes.find((l) => l.classOfService === 'standard')?.id ?? '', fixed.id];
  const plan: Array<[string, number, number]> = [
    ['Backlog', 1, 6],
    ['Analysis', 1, 2],
    ['Design', 1, 2],
    ['Develop', 1, 3],
    ['Code review', 1, 1],
    ['Test', 1, 2],
    ['Deploy', 1, 1],
    ['Done', 1, 5],
    ['Develop', 0, 1],
    ['Backlog', 0, 1],
    ['Backlog', 2, 2],
    ['Design', 2, 1],
    ['Test', 2, 1],
    ['Done', 2, 2],
  ];
  let n = 0;
  for (const [column, lane, count] of plan) {
    for (let i = 0; i < count; i++) {
      n++;
      await api.call('POST', `/api/boards/${board.id}/cards`, {
        columnId: board.column(column).id,
        laneId: lanes[lane],
        title: lane === 0 ? `Hotfix ${n}: checkout fails for one issuer` : lane === 2 ? `Deadline ${n}: PSD2 report due Friday` : `${column} item ${n}: export report`,
        type: lane === 0 ? 'incident' : 'feature',
      });
    }
  }
  const viewer = await openViewer(board.id, 'Alice', { viewport: { width: 1280, height: 800 } });
  const { page } = viewer;
  await expect(page.getByTestId('lane-grid')).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'lanes-1280x800.png') });
  // The expedite lane is drawn first, its cell limits and lane WIP are shown.
  const order = await page.locator('[data-lane-class]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane-class')));
  expect(order).toEqual(['expedite', 'standard', 'fixed_date']);
  await expect(page.getByTestId(`cell-count-${board.column('Test').id}-${fixed.id}`)).toHaveText('1/1');
  await expect(page.getByTestId(`cell-${board.column('Test').id}-${fixed.id}`)).toHaveAttribute('data-wip-state', 'full');
  const overflow = await page.getByRole('main').evaluate((main) => main.scrollWidth - main.clientWidth);
  expect(overflow).toBe(0);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'lanes-1920x1080.png') });
  await page.getByTestId('board-settings').click();
  await expect(page.getByTestId('lane-settings')).toBeVisible();
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'lanes-settings-1920x1080.png') });
  await page.keyboard.press('Escape');

  const phone = await openViewer(board.id, 'Bob', { viewport: { width: 390, height: 844 } });
  await phone.page.screenshot({ path: shotPath(testInfo.project.outputDir, 'lanes-390x844.png') });
  const widths = await phone.page.getByRole('main').evaluate((main) => ({
    cells: [...main.querySelectorAll('section')].map((s) => s.getBoundingClientRect().width),
    boardScrolls: main.scrollWidth > main.clientWidth,
    pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  }));
  expect(widths.cells).toHaveLength(EIGHT.length * 3);
  for (const width of widths.cells) expect(width).toBeGreaterThanOrEqual(230);
  expect(widths.boardScrolls).toBe(true);
  expect(widths.pageScrolls).toBe(false);
});

test('the keyboard carries a card up into the expedite lane and along it; the flow page filters by class, kept in the address', async ({ api, openViewer }, testInfo) => {
  const board = await api.createBoard(boardName('Lane keys'), [{ name: 'Backlog' }, { name: 'Develop', wipLimit: 1 }, { name: 'Done' }]);
  const expedite = await addLane(api, board, { name: 'Expedite', classOfService: 'expedite' });
  await board.addCard({ title: 'Already developing', column: 'Develop' });
  const [urgent] = await board.addCards('Backlog', ['Urgent by keyboard']);
  if (!urgent) throw new Error('seed failed');
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  const develop = board.column('Develop').id;
  const card = alice.card(urgent.id);
  await card.focus();
  await card.press('Space');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  await alice.page.keyboard.press('ArrowUp');
  await expect(cell(alice, board.column('Backlog').id, expedite.id).getByTestId(`card-${urgent.id}`)).toBeVisible();
  await alice.page.keyboard.press('ArrowRight');
  await expect(cell(alice, develop, expedite.id).getByTestId(`card-${urgent.id}`)).toBeVisible();
  await alice.page.keyboard.press('Space');
  await expect(cell(bob, develop, expedite.id).getByTestId(`card-${urgent.id}`)).toBeVisible();
  expect((await board.fetch()).cards.find((c) => c.id === urgent.id)).toMatchObject({ columnId: develop, laneId: expedite.id });

  // The flow of expedite work alone, by the address.
  const { page } = alice;
  await page.goto(`/boards/${board.id}/flow?class=expedite`);
  await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('lane-filter')).toHaveValue('class:expedite');
  await expect(page.getByTestId('aging-panel')).toContainText('1 card in progress');
  await page.screenshot({ path: shotPath(testInfo.project.outputDir, 'lanes-flow-expedite-1280x800.png') });
  await page.getByTestId('lane-filter').selectOption('');
  await expect(page).toHaveURL(new RegExp(`/boards/${board.id}/flow$`));
  await expect(page.getByTestId('aging-panel')).toContainText('2 cards in progress');
});
