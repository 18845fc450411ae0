import type { Browser } from '@playwright/test';
import { FRESH_PORT } from '../../playwright.config';
import type { BoardSnapshot } from '../../lib/shared/domain/types';
import { boardName, expect, test, Viewer } from './fixtures';

/** The server on a database nobody has used yet, with the demo board seeded at its start. */
const FRESH = `http://127.0.0.1:${FRESH_PORT}`;
const PASSWORD = 'a long enough passphrase';

async function signUpThroughThePage(browser: Browser, name: string, email: string) {
  const context = await browser.newContext({ baseURL: FRESH, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-name')).toHaveText(name);
  return { context, page };
}

test('the first visitor creates the admin account and owns the demo board; an invited second user and the admin see each other move cards live', async ({ browser }) => {
  // Two sign-ups, an invitation, live moves and the flow page of eight weeks of history: more than the default budget on a busy machine.
  test.slow();
  // A new database sends its first visitor to create the admin account.
  const first = await browser.newContext({ baseURL: FRESH });
  const landing = await first.newPage();
  await landing.goto('/');
  await expect(landing).toHaveURL(/\/sign-up$/);
  await expect(landing.getByRole('heading', { name: 'Create the admin account' })).toBeVisible();
  await first.close();

  const ada = await signUpThroughThePage(browser, 'Ada Admin', 'ada@flowboard.test');
  const demo = ada.page.getByRole('link', { name: /Payments value stream/ });
  await expect(demo).toBeVisible();

  // The second account sees no board until it is invited: the demo board does not exist for it.
  const bob = await signUpThroughThePage(browser, 'Bob Builder', 'bob@flowboard.test');
  await expect(bob.page.getByTestId('boards-empty')).toBeVisible();
  const boardPath = (await demo.getAttribute('href')) ?? '';
  const hidden = await bob.page.goto(boardPath);
  expect(hidden?.status()).toBe(404);

  // Ada invites Bob by email from the board's members page; Bob accepts on his home page.
  await ada.page.goto(`${boardPath}/members`);
  const form = ada.page.getByTestId('invite-email-form');
  await form.getByRole('textbox', { name: 'Email' }).fill('bob@flowboard.test');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(ada.page.getByTestId('email-invite-bob@flowboard.test')).toBeVisible();
  await bob.page.goto('/');
  await bob.page.getByRole('button', { name: 'Accept the invitation to Payments value stream' }).click();
  await expect(bob.page.getByRole('link', { name: /Payments value stream/ })).toBeVisible();
  await ada.page.reload();
  await expect(ada.page.getByTestId('member-bob@flowboard.test')).toContainText('Bob Builder');

  await ada.page.goto(boardPath);
  await bob.page.goto(boardPath);
  const adaView = new Viewer('Ada Admin', ada.context, ada.page);
  const bobView = new Viewer('Bob Builder', bob.context, bob.page);
  await adaView.expectLive();
  await bobView.expectLive();
  // Presence shows the account names, not a name picked in the browser.
  for (const view of [adaView, bobView]) {
    for (const name of ['Ada Admin', 'Bob Builder']) await expect(view.page.locator(`[data-testid="viewer"][data-name="${name}"]`)).toHaveCount(1);
  }

  const { board } = (await (await ada.page.request.get(`/api${boardPath}`)).json()) as { board: BoardSnapshot };
  // The demo board's history leaves work centers at their WIP limits: take a card with room in the two work centers after its own.
  const count = (i: number) => board.cards.filter((c) => c.columnId === board.columns[i]?.id).length;
  const room = (i: number, extra: number) => {
    const limit = board.columns[i]?.wipLimit ?? null;
    return board.columns[i] !== undefined && (limit === null || count(i) + extra < limit);
  };
  // The demo board has lanes: a card of its standard lane, moved along that lane's cells.
  const standard = board.lanes.find((l) => l.classOfService === 'standard')?.id;
  const lane = board.lanes.length > 1 ? standard : undefined;
  const inLane = (i: number) => board.cards.some((c) => c.columnId === board.columns[i]?.id && (lane === undefined || c.laneId === lane));
  const from = board.columns.findIndex((_, i) => inLane(i) && room(i + 1, 0) && room(i + 2, 0));
  const card = board.cards.find((c) => c.columnId === board.columns[from]?.id && (lane === undefined || c.laneId === lane));
  const next = board.columns[from + 1]?.id;
  const after = board.columns[from + 2]?.id;
  if (!card || !next || !after) throw new Error('the demo board has no card with room ahead of it');

  await adaView.drag(card.id, next, lane);
  await expect(bobView.cardIn(next, card.id, lane)).toBeVisible();
  await bobView.keyboardPickUpAndMove(card.id, 1, after, lane);
  await bobView.page.keyboard.press('Space');
  await expect(adaView.cardIn(after, card.id, lane)).toBeVisible();

  // The log names who did each move.
  const history = (await (await ada.page.request.get(`/api/cards/${card.id}/history`)).json()) as { history: { type: string; actor: string }[] };
  // (after the demo's own history of the card)
  expect(history.history.filter((e) => e.type === 'card_moved').map((e) => e.actor).slice(-2)).toEqual(['Ada Admin', 'Bob Builder']);

  // The demo board's eight weeks of history: blocked time on its cards, and a blocker panel with data on the flow page.
  const blockedCard = board.cards.find((c) => c.blocked) ?? board.cards.find((c) => c.blockedMs > 0);
  if (!blockedCard) throw new Error('the demo board has no card that was blocked');
  await expect(ada.page.getByTestId(`blocked-time-${blockedCard.id}`)).toContainText(/^blocked \S+$/);
  await ada.page.goto(`${boardPath}/flow`);
  const panel = ada.page.getByTestId('blockers-panel');
  await expect(panel.getByRole('heading', { name: 'Blockers' })).toBeVisible();
  await expect(panel.getByRole('table', { name: 'Blocked time by work center' }).getByRole('row')).not.toHaveCount(1);
  await expect(panel.getByRole('table', { name: 'Reasons, most common first' }).getByRole('rowheader').first()).toBeVisible();
  await expect(panel.getByTestId('blocked-share')).toContainText(/\d+% of the cycle time of \d+ finished cards was spent blocked/);
  await expect(ada.page.getByTestId('defects-matrix')).toBeVisible();

  await ada.context.close();
  await bob.context.close();
});

test('a title and a description holding script and HTML payloads render as text', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Hostile'), [{ name: 'Develop' }, { name: 'Test' }]);
  const title = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';
  const description = [
    '**Bold** and a [safe link](https://example.com) and a [bad link](javascript:window.pwned=1)',
    '',
    '<script>window.pwned=1</script><iframe src="javascript:window.pwned=1"></iframe>',
    '',
    '<img src=x onerror="window.pwned=1">',
  ].join('\n');
  const card = await board.addCard({ title, description, column: 'Develop' });
  const alice = await openViewer(board.id, 'Alice');

  await expect(alice.card(card.id)).toContainText('<img src=x onerror="window.pwned=1"><script>');
  await alice.card(card.id).click();
  const preview = alice.page.getByTestId('card-description-preview');
  await expect(preview.locator('strong')).toHaveText('Bold');
  await expect(preview.getByRole('link', { name: 'safe link' })).toHaveAttribute('href', 'https://example.com');
  await expect(preview).toContainText('<script>window.pwned=1</script>');
  await expect(preview).toContainText('<img src=x onerror="window.pwned=1">');
  // Nothing of the payload became markup: no script, frame or image, no javascript: link.
  await expect(alice.page.locator('main script, [data-testid="card-dialog"] script, iframe, img[src="x"]')).toHaveCount(0);
  expect(await preview.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['https://example.com', null]);
  expect(await alice.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test('a signed-out visitor is redirected by the server itself, with a redirect status, not a page that redirects', async ({ playwright, baseURL }) => {
  // No session at all (the suite's own fixtures sign everyone in).
  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    for (const path of ['/', '/settings/tokens']) {
      const res = await anonymous.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(307);
      expect(res.headers()['location'], path).toMatch(/\/sign-(in|up)(\?|$)/);
    }
  } finally {
    await anonymous.dispose();
  }
});
