import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { boardName, emailOf, expect, joinBoard, sessionOf, test } from './fixtures';

/** Where the screenshots go: the test's output folder, or a folder of one's choice to look at them. */
const shotsDir = (outputDir: string) => process.env.FLOWBOARD_SHOTS_DIR ?? join(outputDir, 'screenshots');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
] as const;

async function shoot(page: Page, dir: string, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(dir, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  await page.setViewportSize(SIZES[0]);
}

test('an admin invites Ben by email; Ben sees it on his home page, accepts from the keyboard, and the board is his', async ({ browser, api, baseURL }, testInfo) => {
  if (!baseURL) throw new Error('baseURL is not configured');
  const dir = shotsDir(testInfo.project.outputDir);
  // A name the way a hostile admin would write it: it must show as text, with nothing to click.
  const name = boardName('URGENT: verify your account at http://evil.example <b>now</b>');
  const board = await api.createBoard(name, [{ name: 'Develop' }, { name: 'Test' }]);
  await joinBoard(api, baseURL, 'Invite admin', board.id, 'admin');
  const benEmail = emailOf('Ben Invitee');

  const adminContext = await browser.newContext({ baseURL, viewport: SIZES[0], storageState: await sessionOf(baseURL, 'Invite admin') });
  const benContext = await browser.newContext({ baseURL, viewport: SIZES[0], storageState: await sessionOf(baseURL, 'Ben Invitee') });
  try {
    const admin = await adminContext.newPage();
    await admin.goto(`/boards/${board.id}/members`);
    const form = admin.getByTestId('invite-email-form');
    await form.getByRole('textbox', { name: 'Email' }).fill(benEmail);
    await form.getByRole('combobox', { name: 'Role' }).selectOption('member');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(admin.getByRole('status')).toHaveText(`Invitation recorded: if ${benEmail} has or creates an account, they will see it on their home page`);
    await expect(admin.getByTestId(`email-invite-${benEmail}`)).toContainText('Member');
    // Nobody is added by that: Ben is not in the members list yet.
    await expect(admin.getByTestId(`member-${benEmail}`)).toHaveCount(0);

    // A second invitation, withdrawn again.
    await form.getByRole('textbox', { name: 'Email' }).fill('changed-my-mind@e2e.test');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(admin.getByTestId('email-invite-changed-my-mind@e2e.test')).toBeVisible();
    await shoot(admin, dir, 'members-panel');
    await admin.getByRole('button', { name: 'Withdraw the invitation to changed-my-mind@e2e.test' }).click();
    await expect(admin.getByRole('status')).toHaveText('Invitation to changed-my-mind@e2e.test withdrawn');
    await expect(admin.getByTestId('email-invite-changed-my-mind@e2e.test')).toHaveCount(0);

    const ben = await benContext.newPage();
    await ben.goto('/');
    const invitation = ben.getByTestId('pending-invite').filter({ hasText: name });
    await expect(invitation).toBeVisible();
    await expect(invitation.getByTestId('pending-invite-board')).toHaveText(name);
    await expect(invitation).toContainText('Invite admin invited you as Member');
    // Plain text: no link and no markup came out of the name.
    await expect(invitation.locator('a, b')).toHaveCount(0);
    await expect(ben.getByRole('link', { name })).toHaveCount(0);
    await shoot(ben, dir, 'home-pending-invitation');

    // From the keyboard: the button is named after the board, and says so when done.
    const accept = ben.getByRole('button', { name: `Accept the invitation to ${name}` });
    await accept.focus();
    await expect(accept).toBeFocused();
    await ben.keyboard.press('Enter');
    await expect(ben.getByRole('status').filter({ hasText: `You joined “${name}” as member` })).toBeVisible();
    await expect(ben.getByTestId('pending-invite')).toHaveCount(0);
    await expect(ben.getByTestId(`board-link-${board.id}`)).toBeVisible();
    await ben.getByTestId(`board-link-${board.id}`).click();
    await expect(ben.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    await expect(ben.getByTestId('my-role')).toContainText('Member');

    await admin.reload();
    await expect(admin.getByTestId(`member-${benEmail}`)).toBeVisible();
    await expect(admin.getByTestId('email-invite-list')).toHaveCount(0);
  } finally {
    await adminContext.close();
    await benContext.close();
  }
});
