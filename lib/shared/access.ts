/** What the accounts API sends about people, memberships, invite links and API tokens (wire types). */
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

export interface TokenDTO {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}
