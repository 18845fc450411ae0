/** The header a sign-up carries an invite link's secret in, when accounts are by invitation. */
export const INVITE_HEADER = 'x-flowboard-invite';

/** The secret of an invite link page (`/invite/<secret>`), when `path` is one. */
export function inviteSecretIn(path: string): string | null {
  const match = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(path);
  return match?.[1] ?? null;
}

/** What a sign-up without a live invite link is told when accounts are by invitation. */
export const SIGNUP_BY_INVITE = 'Accounts on this Flowboard are by invitation: open the invite link a board admin sent you, then create your account there.';
