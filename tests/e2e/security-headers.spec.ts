/**
 * The Content Security Policy the server sends (lib/server/http/securityHeaders.ts) is one the app's
 * own pages pass: a walk through every page (sign-up, sign-in, home, board with a move, flow, members,
 * tokens, import) meets no violation, neither as a `securitypolicyviolation` event nor in the console.
 * And a page on another origin of the same site cannot frame a signed-in board.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page, Response } from '@playwright/test';
import { acceptInvitation, boardName, emailOf, expect, test, Viewer } from './fixtures';

const PASSWORD = 'a long enough passphrase';

/** Every CSP complaint a page makes: the DOM event (recorded by a script run before the page's own) and console lines. */
async function watchCsp(context: BrowserContext) {
  const complaints: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.documentURI}`);
    });
  });
  context.on('console', (msg) => {
    if (/content security policy|CSP violation|Refused to (load|execute|apply|frame|connect)/i.test(msg.text())) complaints.push(`${msg.page()?.url()}: ${msg.text()}`);
  });
  context.on('weberror', (error) => complaints.push(`page error: ${error.error().message}`));
  return complaints;
}

/** The document's response carries the policy, with a nonce, and frames are refused. */
function expectHeaders(response: Response | null, label: string): void {
  expect(response, label).not.toBeNull();
  const headers = response!.headers();
  expect(headers['content-security-policy'], label).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers['content-security-policy'], label).toMatch(/frame-ancestors 'none'/);
  expect(headers['x-frame-options'], label).toBe('DENY');
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['referrer-policy'], label).toBe('no-referrer');
}

async function visit(page: Page, path: string): Promise<void> {
  expectHeaders(await page.goto(path), path);
  await page.waitForLoadState('networkidle');
}

test('every page of the app runs under its Content Security Policy without a single violation', async ({ browser, baseURL, api }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, storageState: { cookies: [], origins: [] } });
  const complaints = await watchCsp(context);
  const assets: Response[] = [];
  context.on('response', (r) => {
    if (r.url().includes('/_next/static/')) assets.push(r);
  });
  const page = await context.newPage();
  const name = 'Csp Walker';
  const email = emailOf(name);

  // Signed out: sign-up through the page, then out and in again through the sign-in page.
  await visit(page, '/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-name')).toHaveText(name);
  await context.clearCookies();
  await visit(page, '/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-name')).toHaveText(name);

  // Home, then a board with cards: a move with the keyboard, so dnd-kit's drag styles are applied.
  await visit(page, '/');
  const board = await api.createBoard(boardName('CSP'), [{ name: 'Develop' }, { name: 'Test' }], [{ title: 'Framed?' }, { title: 'Second card', column: 'Test' }]);
  await api.invite(board.id, email, 'admin');
  await acceptInvitation(page.request, baseURL!, board.id);
  await visit(page, `/boards/${board.id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  const walker = new Viewer(name, context, page);
  const cardId = board.snapshot.cards[0]!.id;
  await walker.keyboardPickUpAndMove(cardId, 1, board.column('Test').id);
  await page.keyboard.press('Space');
  await expect(walker.cardIn(board.column('Test').id, cardId)).toBeVisible();
  await expect.poll(async () => (await board.fetch()).cards.find((c) => c.id === cardId)?.columnId).toBe(board.column('Test').id);

  await visit(page, `/boards/${board.id}/flow`);
  await expect(page.getByTestId('flow-status')).toHaveAttribute('data-status', 'live');
  await visit(page, `/boards/${board.id}/members`);
  await visit(page, '/settings/tokens');
  await visit(page, '/import');
  await page.getByTestId('import-name').fill(boardName('CSP import'));
  await page.getByTestId('import-file').setInputFiles({ name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from('ID,Name,Todo,Done\nA-1,First,2025-01-01,2025-01-05\n') });
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-done')).toContainText('Imported 1 item');
  await visit(page, '/no-such-page');

  // Static assets carry the headers too (nosniff matters most for them).
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets.slice(0, 5)) {
    const headers = await asset.allHeaders();
    expect(headers['x-content-type-options'], asset.url()).toBe('nosniff');
    expect(headers['content-security-policy'], asset.url()).toMatch(/frame-ancestors 'none'/);
  }
  expect(complaints).toEqual([]);
  await context.close();
});

test('a page on another origin of the same site cannot frame a signed-in board', async ({ browser, baseURL, api }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const name = 'Frame Target';
  const email = emailOf(name);
  // Signed in (the cookie is SameSite=Lax: a frame on another port of the same host would carry it).
  const signUp = await page.request.post('/api/auth/sign-up/email', { data: { name, email, password: PASSWORD }, headers: { origin: baseURL! } });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  const board = await api.createBoard(boardName('Framed'), [{ name: 'Develop' }], [{ title: 'Secret card' }]);
  await api.invite(board.id, email, 'viewer');
  await acceptInvitation(page.request, baseURL!, board.id);
  await visit(page, `/boards/${board.id}`);
  await expect(page.getByText('Secret card')).toBeVisible();

  // Another origin of the same site: a server of its own on another port of the same host, whose
  // page has no policy and frames the board.
  const boardUrl = `${baseURL}/boards/${board.id}`;
  const framer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>framer</title><iframe id="f" src="${boardUrl}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => framer.listen(0, new URL(baseURL!).hostname, resolve));
  try {
    const elsewhere = `http://${new URL(baseURL!).hostname}:${(framer.address() as AddressInfo).port}/`;
    const boardResponse = page.waitForResponse(boardUrl);
    await page.goto(elsewhere);
    // The board was asked for in the frame, and its answer (with the cookie) was refused: Chromium
    // shows its error page in place of the board.
    expectHeaders(await boardResponse, 'framed board');
    await expect.poll(() => page.frames().map((f) => f.url())).toContain('chrome-error://chromewebdata/');
    const framed = page.frameLocator('#f');
    await expect(framed.getByText('Secret card')).toHaveCount(0);
    await expect(framed.getByTestId('connection-state')).toHaveCount(0);
  } finally {
    framer.close();
  }
  await context.close();
});
