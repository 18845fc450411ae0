import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './client';
import { apiTokens, boardInvites, boardMembers, boards, users } from './schema';
import { DomainError } from '../lib/domain/errors';
import { hasRole, isBoardRole, type BoardRole } from '../lib/domain/roles';

/**
 * Who may see and change which board, and the secrets that stand for a person: API tokens and invite
 * links. Secrets are 32 random bytes; only their SHA-256 is stored (a random secret this long needs no
 * slow hash, unlike a password; passwords are better-auth's). Writes that keep "a board always has an
 * admin" run in one IMMEDIATE transaction, so two admins demoting each other cannot both succeed.
 */
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

/** An API token's owner, as a request made with it acts. */
export interface TokenOwner {
  tokenId: string;
  user: AccountDTO;
}

/** Recognisable in logs and secret scanners; the rest is 256 random bits. */
const TOKEN_PREFIX = 'fbt_';
/** A token's last use is written at most this often: not one extra write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
export const INVITE_TTL_HOURS = { default: 72, max: 24 * 30 } as const;

const iso = (ms: number) => new Date(ms).toISOString();
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

function toAccount(row: typeof users.$inferSelect): AccountDTO {
  return { id: row.id, name: row.name, email: row.email, isAdmin: row.isAdmin };
}

export function createAccess(db: Db, clock: () => number = Date.now) {
  // Every command and join asks this: a plain better-sqlite3 statement, without drizzle's row mapping.
  const roleQuery = db.$client.prepare<[string, string], { role: string }>('select role from board_members where board_id = ? and user_id = ?');

  function immediate<T>(fn: () => T): T {
    return db.transaction(() => fn(), { behavior: 'immediate' });
  }

  function adminCount(boardId: string): number {
    return db.select({ n: count() }).from(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.role, 'admin'))).get()?.n ?? 0;
  }

  function roleOf(boardId: string, userId: string): BoardRole | null {
    const role = roleQuery.get(boardId, userId)?.role;
    return isBoardRole(role) ? role : null;
  }

  function requireBoard(boardId: string): void {
    if (!db.select({ id: boards.id }).from(boards).where(eq(boards.id, boardId)).get()) throw new DomainError('NOT_FOUND', 'Board not found');
  }

  /** Boards nobody is a member of (the demo board seeded before the first account) go to `userId`. */
  function claimUnownedBoards(userId: string): number {
    const now = clock();
    const unowned = db
      .select({ id: boards.id })
      .from(boards)
      .where(sql`not exists (select 1 from board_members m where m.board_id = ${boards.id})`)
      .all();
    for (const b of unowned) db.insert(boardMembers).values({ boardId: b.id, userId, role: 'admin', createdAt: now }).run();
    return unowned.length;
  }

  return {
    roleOf,

    getUser(userId: string): AccountDTO | null {
      const row = db.select().from(users).where(eq(users.id, userId)).get();
      return row ? toAccount(row) : null;
    },

    findUserByEmail(email: string): AccountDTO | null {
      const row = db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
      return row ? toAccount(row) : null;
    },

    /** True while no instance administrator exists: the next sign-up creates it. */
    needsFirstAdmin(): boolean {
      return !db.select({ id: users.id }).from(users).where(eq(users.isAdmin, true)).get();
    },

    /**
     * Makes `userId` the instance administrator when there is none yet (or when `force`), and gives it
     * the boards nobody owns. One transaction: of two first sign-ups at once, one becomes the admin.
     */
    promoteAdmin(userId: string, force = false): boolean {
      return immediate(() => {
        const exists = db.select({ id: users.id }).from(users).where(eq(users.isAdmin, true)).get();
        if (exists && !force) return false;
        db.update(users).set({ isAdmin: true }).where(eq(users.id, userId)).run();
        claimUnownedBoards(userId);
        return true;
      });
    },

    /**
     * An account without a password, for integrations and benchmarks that only ever use API tokens:
     * it cannot sign in. Made directly here because better-auth has nothing to hash for it.
     */
    createServiceAccount(name: string, email: string): AccountDTO {
      const now = new Date(clock());
      const row = { id: randomUUID(), name, email: email.trim().toLowerCase(), emailVerified: false, image: null, isAdmin: false, createdAt: now, updatedAt: now };
      db.insert(users).values(row).run();
      return toAccount(row);
    },

    /** The boards a user is a member of, with the role. */
    boardRoles(userId: string): Map<string, BoardRole> {
      const rows = db.select({ boardId: boardMembers.boardId, role: boardMembers.role }).from(boardMembers).where(eq(boardMembers.userId, userId)).all();
      return new Map(rows.flatMap((r) => (isBoardRole(r.role) ? [[r.boardId, r.role] as const] : [])));
    },

    listMembers(boardId: string): MemberDTO[] {
      return db
        .select({ userId: users.id, name: users.name, email: users.email, role: boardMembers.role, since: boardMembers.createdAt })
        .from(boardMembers)
        .innerJoin(users, eq(users.id, boardMembers.userId))
        .where(eq(boardMembers.boardId, boardId))
        .orderBy(asc(users.name), asc(users.email))
        .all()
        .map((r) => ({ ...r, role: isBoardRole(r.role) ? r.role : 'viewer', since: iso(r.since) }));
    },

    /** Adds an existing account to a board; CONFLICT when it is a member already. */
    addMember(boardId: string, userId: string, role: BoardRole): void {
      immediate(() => {
        requireBoard(boardId);
        if (roleOf(boardId, userId)) throw new DomainError('CONFLICT', 'Already a member of this board');
        db.insert(boardMembers).values({ boardId, userId, role, createdAt: clock() }).run();
      });
    },

    setRole(boardId: string, userId: string, role: BoardRole): void {
      immediate(() => {
        const current = roleOf(boardId, userId);
        if (!current) throw new DomainError('NOT_FOUND', 'Not a member of this board');
        if (current === 'admin' && role !== 'admin' && adminCount(boardId) <= 1) {
          throw new DomainError('CONFLICT', 'A board keeps at least one admin: make someone else admin first');
        }
        db.update(boardMembers).set({ role }).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId))).run();
      });
    },

    removeMember(boardId: string, userId: string): void {
      immediate(() => {
        const current = roleOf(boardId, userId);
        if (!current) throw new DomainError('NOT_FOUND', 'Not a member of this board');
        if (current === 'admin' && adminCount(boardId) <= 1) {
          throw new DomainError('CONFLICT', 'A board keeps at least one admin: make someone else admin first');
        }
        db.delete(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId))).run();
      });
    },

    /** A link secret for one person to join `boardId` with `role` before it expires. Shown once. */
    createInvite(boardId: string, role: BoardRole, createdBy: string, ttlHours: number): { secret: string; invite: InviteDTO } {
      const secret = newSecret();
      const now = clock();
      const row = { id: randomUUID(), boardId, tokenHash: hashSecret(secret), role, createdBy, createdAt: now, expiresAt: now + ttlHours * 3_600_000 };
      immediate(() => {
        requireBoard(boardId);
        // Expired links are useless; clear them while here.
        db.delete(boardInvites).where(and(eq(boardInvites.boardId, boardId), lte(boardInvites.expiresAt, now))).run();
        db.insert(boardInvites).values(row).run();
      });
      return { secret, invite: { id: row.id, role, createdAt: iso(row.createdAt), expiresAt: iso(row.expiresAt) } };
    },

    listInvites(boardId: string): InviteDTO[] {
      return db
        .select()
        .from(boardInvites)
        .where(and(eq(boardInvites.boardId, boardId), gt(boardInvites.expiresAt, clock())))
        .orderBy(asc(boardInvites.createdAt))
        .all()
        .map((r) => ({ id: r.id, role: isBoardRole(r.role) ? r.role : 'viewer', createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) }));
    },

    revokeInvite(boardId: string, inviteId: string): void {
      const result = db.delete(boardInvites).where(and(eq(boardInvites.boardId, boardId), eq(boardInvites.id, inviteId))).run();
      if (result.changes === 0) throw new DomainError('NOT_FOUND', 'Invite not found');
    },

    /** What a link leads to, without using it; null when unknown or expired. */
    peekInvite(secret: string): { boardId: string; boardName: string; role: BoardRole; expiresAt: string } | null {
      const row = db
        .select({ boardId: boardInvites.boardId, boardName: boards.name, role: boardInvites.role, expiresAt: boardInvites.expiresAt })
        .from(boardInvites)
        .innerJoin(boards, eq(boards.id, boardInvites.boardId))
        .where(and(eq(boardInvites.tokenHash, hashSecret(secret)), gt(boardInvites.expiresAt, clock())))
        .get();
      if (!row || !isBoardRole(row.role)) return null;
      return { ...row, role: row.role, expiresAt: iso(row.expiresAt) };
    },

    /**
     * Uses a link: the user joins with its role (an existing member keeps the higher of the two
     * roles) and the link is spent. NOT_FOUND when it is unknown, used or expired.
     */
    acceptInvite(secret: string, userId: string): { boardId: string; role: BoardRole } {
      return immediate(() => {
        const invite = db.select().from(boardInvites).where(eq(boardInvites.tokenHash, hashSecret(secret))).get();
        if (!invite || invite.expiresAt <= clock() || !isBoardRole(invite.role)) {
          throw new DomainError('NOT_FOUND', 'This invite link is unknown, used or expired: ask for a new one');
        }
        db.delete(boardInvites).where(eq(boardInvites.id, invite.id)).run();
        const current = roleOf(invite.boardId, userId);
        if (!current) {
          db.insert(boardMembers).values({ boardId: invite.boardId, userId, role: invite.role, createdAt: clock() }).run();
          return { boardId: invite.boardId, role: invite.role };
        }
        if (hasRole(current, invite.role)) return { boardId: invite.boardId, role: current };
        db.update(boardMembers).set({ role: invite.role }).where(and(eq(boardMembers.boardId, invite.boardId), eq(boardMembers.userId, userId))).run();
        return { boardId: invite.boardId, role: invite.role };
      });
    },

    /** A new personal API token; the secret is returned once and never stored. */
    createToken(userId: string, name: string): { secret: string; token: TokenDTO } {
      const secret = newSecret(TOKEN_PREFIX);
      const row = { id: randomUUID(), userId, name, tokenHash: hashSecret(secret), prefix: secret.slice(0, TOKEN_PREFIX.length + 6), createdAt: clock(), lastUsedAt: null };
      db.insert(apiTokens).values(row).run();
      return { secret, token: { id: row.id, name, prefix: row.prefix, createdAt: iso(row.createdAt), lastUsedAt: null } };
    },

    listTokens(userId: string): TokenDTO[] {
      return db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.userId, userId))
        .orderBy(asc(apiTokens.createdAt))
        .all()
        .map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.createdAt), lastUsedAt: r.lastUsedAt === null ? null : iso(r.lastUsedAt) }));
    },

    revokeToken(userId: string, tokenId: string): void {
      const result = db.delete(apiTokens).where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, tokenId))).run();
      if (result.changes === 0) throw new DomainError('NOT_FOUND', 'Token not found');
    },

    /** The owner of a presented token, or null. Looked up by hash: no secret is ever compared in the clear. */
    verifyToken(secret: string): TokenOwner | null {
      if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null;
      const row = db
        .select({ token: apiTokens, user: users })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, hashSecret(secret)))
        .get();
      if (!row) return null;
      const now = clock();
      if (row.token.lastUsedAt === null || now - row.token.lastUsedAt > LAST_USED_RESOLUTION_MS) {
        db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id)).run();
      }
      return { tokenId: row.token.id, user: toAccount(row.user) };
    },

    /** Boards that nobody is a member of; used by tests and the CLI. */
    unownedBoardIds(): string[] {
      return db
        .select({ id: boards.id })
        .from(boards)
        .leftJoin(boardMembers, eq(boardMembers.boardId, boards.id))
        .where(isNull(boardMembers.userId))
        .all()
        .map((r) => r.id);
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
