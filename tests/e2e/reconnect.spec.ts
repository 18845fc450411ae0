import { boardName, E2E_PASSWORD, emailOf, expect, test } from './fixtures';

test('a browser that loses its connection says so, and catches up without a reload when it is back', async ({ api, openViewer }) => {
  const board = await api.createBoard(boardName('Reconnect'), [{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
  const moved = await board.addCard({ title: 'Feature flags', column: 'Develop' });
  const renamed = await board.addCard({ title: 'Old title', column: 'Develop' });
  const develop = board.column('Develop').id;
  const testCol = board.column('Test').id;
  const alice = await openViewer(board.id, 'Alice');
  const bob = await openViewer(board.id, 'Bob');
  // Survives only as long as the page does: a reload would clear it.
  await alice.page.evaluate(() => ((window as unknown as { notReloaded?: boolean }).notReloaded = true));

  // A real disconnect: Socket.IO drops its connection on the browser's offline event (engine.io does,
  // for any host but localhost), and the emulated network refuses to reconnect until it is back.
  await alice.context.setOffline(true);
  await expect(alice.connection()).toHaveAttribute('data-state', 'offline');
  await expect(alice.page.getByTestId('stale-banner')).toBeVisible();
  await expect(bob.page.getByTestId('presence')).toHaveAttribute('data-count', '1');

  // Changes are paused while down: a local change is refused with a message, not queued silently.
  await alice.page.getByTestId(`add-card-${develop}`).click();
  await alice.page.getByTestId(`new-card-title-${develop}`).fill('Written offline');
  await alice.page.getByTestId(`new-card-title-${develop}`).press('Enter');
  await expect(alice.page.getByTestId('toast')).toContainText('Not connected');
  await alice.page.getByTestId(`new-card-title-${develop}`).press('Escape');

  // Meanwhile Bob drags a card, and an integration renames another and adds one.
  await bob.drag(moved.id, testCol);
  await expect(bob.cardIn(testCol, moved.id)).toBeVisible();
  await api.call('PATCH', `/api/cards/${renamed.id}`, { title: 'New title' });
  const added = await board.addCard({ title: 'Added while Alice was away', column: 'Done' });
  await expect(bob.card(added.id)).toBeVisible();
  await expect(alice.cardIn(develop, moved.id)).toBeVisible();
  await expect(alice.card(added.id)).toHaveCount(0);

  await alice.context.setOffline(false);
  await alice.expectLive();
  await expect(alice.page.getByTestId('stale-banner')).toHaveCount(0);
  await expect(alice.cardIn(testCol, moved.id)).toBeVisible();
  await expect(alice.card(renamed.id)).toContainText('New title');
  await expect(alice.card(added.id)).toBeVisible();
  await expect(alice.page.getByText('Written offline')).toHaveCount(0);
  expect(await alice.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  for (const viewer of [alice, bob]) await expect(viewer.page.getByTestId('presence')).toHaveAttribute('data-count', '2');
});

test('a board whose session ends (signed out in another tab) says so on the sign-in page, then comes back to the board', async ({ api, openViewer, baseURL }) => {
  const board = await api.createBoard(boardName('Session end'), [{ name: 'Develop' }]);
  // A name of its own: signing out ends the session this worker keeps for the name.
  const name = 'Signed Out Sam';
  const sam = await openViewer(board.id, name);
  const other = await sam.context.newPage();
  const out = await other.request.post('/api/auth/sign-out', { headers: { origin: baseURL ?? '' }, data: {} });
  expect(out.ok()).toBe(true);

  // The board's socket is told, and the tab goes to sign in instead of reconnecting in a loop.
  await expect(sam.page).toHaveURL(/\/sign-in\?.*ended=1/);
  await expect(sam.page.getByRole('status')).toContainText('Your session ended');
  await sam.page.getByLabel('Email').fill(emailOf(name));
  await sam.page.getByLabel('Password').fill(E2E_PASSWORD);
  await sam.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(sam.page).toHaveURL(new RegExp(`/boards/${board.id}$`));
  await sam.expectLive();
});

test('after a network drop the connection survived, the board is live again as soon as the browser is back online', async ({ api, openViewer, baseURL }) => {
  const board = await api.createBoard(boardName('Survived drop'), [{ name: 'Develop' }, { name: 'Test' }, { name: 'Done' }]);
  const card = await board.addCard({ title: 'Rate limiter', column: 'Develop' });
  const testCol = board.column('Test').id;
  const bob = await openViewer(board.id, 'Bob');
  const alice = await openViewer(board.id, 'Alice');
  // On the host name "localhost" engine.io keeps its connection through the browser's offline event
  // (a drop too short to matter, a laptop switching networks): the socket survives, and only the
  // browser's online and offline events tell the page anything happened.
  const cookies = await alice.context.cookies();
  await alice.context.addCookies(cookies.map(({ name, value, path, expires, httpOnly, secure, sameSite }) => ({ name, value, path, expires, httpOnly, secure, sameSite, domain: 'localhost' })));
  await alice.page.goto(`${(baseURL ?? '').replace('127.0.0.1', 'localhost')}/boards/${board.id}`);
  await alice.expectLive();

  await alice.context.setOffline(true);
  await expect(alice.connection()).toHaveAttribute('data-state', 'offline');
  await expect(alice.page.getByTestId('stale-banner')).toBeVisible();

  await alice.context.setOffline(false);
  await alice.expectLive();
  await expect(alice.page.getByTestId('stale-banner')).toHaveCount(0);
  // Live for real: a move from Bob arrives, and Alice's own changes go out.
  await bob.drag(card.id, testCol);
  await expect(alice.cardIn(testCol, card.id)).toBeVisible();
  await alice.drag(card.id, board.column('Done').id);
  await expect(bob.cardIn(board.column('Done').id, card.id)).toBeVisible();
});
