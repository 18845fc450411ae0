import { describe, expect, it } from 'vitest';
import { INVITE_HEADER } from '../../lib/shared/invite';
import { startTestServer } from './helpers';

/** FLOWBOARD_SIGNUP=invite: after the first admin, only the holder of a live invite link makes an account. */
describe('sign-up by invitation', () => {
  const h = startTestServer({ signup: 'invite' });

  const signUp = (email: string, invite?: string) =>
    fetch(`${h.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.url, ...(invite === undefined ? {} : { [INVITE_HEADER]: invite }) },
      body: JSON.stringify({ email, password: 'a long enough passphrase', name: 'Newcomer' }),
    });

  it('refuses a stranger with a code and a message, makes no account, and lets the holder of a live link in', async () => {
    // Before there is an admin, the first visitor signs up without a link and becomes the admin.
    expect(await h.app.access.needsFirstAdmin()).toBe(true);
    expect((await signUp('first@example.test')).status).toBe(200);
    const admin = await h.app.access.findUserByEmail('first@example.test');
    expect(admin?.isAdmin).toBe(true);
    const board = await h.seedBoard([{ name: 'Ready' }, { name: 'Doing' }]);

    const stranger = await signUp('stranger@example.test');
    expect(stranger.status).toBe(403);
    const refusal = (await stranger.json()) as { code?: string; message?: string };
    expect(refusal.code).toBe('SIGNUP_BY_INVITE');
    expect(refusal.message).toMatch(/by invitation/);
    expect(await h.app.access.findUserByEmail('stranger@example.test')).toBeNull();

    expect((await signUp('stranger@example.test', 'not-a-real-link')).status).toBe(403);

    const { secret, invite } = await h.app.access.createInvite(board.id, 'member', admin?.id ?? '', 24);
    const invited = await signUp('invited@example.test', secret);
    expect(invited.status).toBe(200);
    expect((await h.app.access.findUserByEmail('invited@example.test'))?.name).toBe('Newcomer');

    // A revoked link opens nothing any more.
    await h.app.access.revokeInvite(board.id, invite.id);
    expect((await signUp('late@example.test', secret)).status).toBe(403);
    expect(await h.app.access.findUserByEmail('late@example.test')).toBeNull();
  });
});
