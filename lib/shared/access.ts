/** What the accounts API sends about people, memberships, invite links, invitations by email and API tokens (wire types). */
import type { BoardRole } from './domain/roles';

export interface AccountDTO {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean;
}

export interface MemberDTO {
  userId: string;
  name: string;
  email: string;
  role: BoardRole;
  since: string;
}

export interface InviteDTO {
  id: string;
  role: BoardRole;
  createdAt: string;
  expiresAt: string;
}

/** An invitation by email as the board's admins see it: pending until the person accepts or declines. */
export interface EmailInviteDTO {
  id: string;
  email: string;
  role: BoardRole;
  /** The display name of the admin who sent it. */
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** An invitation by email as the person it is for sees it on their home page. */
export interface ReceivedInviteDTO {
  id: string;
  boardId: string;
  /** Chosen by whoever named the board: shown as plain text, never as a link or markup. */
  boardName: string;
  role: BoardRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface TokenDTO {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}
