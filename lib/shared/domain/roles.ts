/**
 * Board roles. Each includes the one below it: an admin changes the board's settings, work
 * centers, WIP limits, demand and members; a member works the cards; a viewer sees everything live
 * and changes nothing. Someone who is not a member does not see the board at all.
 */
export const BOARD_ROLES = ['viewer', 'member', 'admin'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

export function isBoardRole(value: unknown): value is BoardRole {
  return typeof value === 'string' && (BOARD_ROLES as readonly string[]).includes(value);
}

/** True when `role` may do what `needed` may. */
export function hasRole(role: BoardRole, needed: BoardRole): boolean {
  return BOARD_ROLES.indexOf(role) >= BOARD_ROLES.indexOf(needed);
}

/** A role's name in the UI. */
export const ROLE_LABEL: Record<BoardRole, string> = { admin: 'Admin', member: 'Member', viewer: 'Viewer' };

/** What the UI says a role may do; one sentence each, shown next to the role picker. */
export const ROLE_SUMMARY: Record<BoardRole, string> = {
  admin: 'Settings, work centers, WIP limits, demand and members',
  member: 'Creates, edits and moves cards',
  viewer: 'Sees the board live, changes nothing',
};
