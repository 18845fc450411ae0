import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Engine, Sql, WriteTx } from './engine';
import { DomainError } from '../lib/shared/domain/errors';
import { normaliseDisplayName } from '../lib/shared/domain/names';
import { hasRole, isBoardRole, type BoardRole } from '../lib/shared/domain/roles';
import type { AccountDTO, EmailInviteDTO, InviteDTO, MemberDTO, ReceivedInviteDTO, TokenDTO } from '../lib/shared/access';

export type { AccountDTO, EmailInviteDTO, InviteDTO, MemberDTO, ReceivedInviteDTO, TokenDTO };

/**
 * Who may see and change which board, invitations by email, and the secrets that stand for a person:
 * API tokens and invite links. Secrets are 32 random bytes; only their SHA-256 is stored (a random secret this long needs no
 * slow hash, unlike a password; passwords are better-auth's). Writes that keep "a board always has an
 * admin" run in one IMMEDIATE transaction, so two admins demoting each other cannot both succeed.
 */
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
/**
 * Invitations by email: long enough for someone back from a holiday to find theirs; a cap per board
 * so that one admin cannot fill the table (or someone's home page) with invitations.
 */
export const EMAIL_INVITE_LIMITS = { ttlDays: 14, pendingPerBoard: 50 } as const;
const DAY_MS = 86_400_000;
const normaliseEmail = (email: string) => email.trim().toLowerCase();

const iso = (ms: number) => new Date(ms).toISOString();
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

interface UserRow {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean | number;
}
const USER_FIELDS = 'id, name, email, is_admin as "isAdmin"';

function toAccount(row: UserRow): AccountDTO {
  return { id: row.id, name: row.name, email: row.email, isAdmin: Boolean(row.isAdmin) };
}

const roleIn = async (sql: Sql, boardId: string, userId: string): Promise<BoardRole | null> => {
  const role = (await sql.get<{ role: string }>('select role from board_members where board_id = ? and user_id = ?', [boardId, userId]))?.role;
  return isBoardRole(role) ? role : null;
};

const adminCount = async (tx: Sql, boardId: string): Promise<number> =>
  (await tx.get<{ n: number }>("select count(*) as n from board_members where board_id = ? and role = 'admin'", [boardId]))?.n ?? 0;

/** Locks the board for a membership change (so "at least one admin" holds across processes); NOT_FOUND when missing. */
async function lockExistingBoard(tx: WriteTx, boardId: string): Promise<void> {
  if ((await tx.lockBoard(boardId)) === undefined) throw new DomainError('NOT_FOUND', 'Board not found');
}

export function createAccess(engine: Engine, clock: () => number = Date.now) {
  const read = <T>(fn: (sql: Sql) => Promise<T>) => engine.read(fn);

  /** Boards nobody is a member of (the demo board seeded before the first account) go to `userId`. */
  async function claimUnownedBoards(tx: WriteTx, userId: string): Promise<number> {
    return tx.run(
      `insert into board_members (board_id, user_id, role, created_at)
       select b.id, ?, 'admin', ? from boards b where not exists (select 1 from board_members m where m.board_id = b.id)`,
      [userId, clock()],
    );
  }

  return {
    roleOf: (boardId: string, userId: string): Promise<BoardRole | null> => read((sql) => roleIn(sql, boardId, userId)),

    async getUser(userId: string): Promise<AccountDTO | null> {
      const row = await read((sql) => sql.get<UserRow>(`select ${USER_FIELDS} from users where id = ?`, [userId]));
      return row ? toAccount(row) : null;
    },

    async findUserByEmail(email: string): Promise<AccountDTO | null> {
      const row = await read((sql) => sql.get<UserRow>(`select ${USER_FIELDS} from users where email = ?`, [normaliseEmail(email)]));
      return row ? toAccount(row) : null;
    },

    /** True while no instance administrator exists: the next sign-up creates it. */
    needsFirstAdmin: async (): Promise<boolean> => !(await read((sql) => sql.get('select id from users where is_admin = true limit 1'))),

    /**
     * Makes `userId` the instance administrator when there is none yet (or when `force`), and gives it
     * the boards nobody owns. One transaction under a named lock: of two first sign-ups at once, on any
     * processes, one becomes the admin.
     */
    promoteAdmin(userId: string, force = false): Promise<boolean> {
      return engine.write(async (tx) => {
        await tx.lockName('instance-admin');
        const exists = await tx.get('select id from users where is_admin = true limit 1');
        if (exists && !force) return false;
        await tx.run('update users set is_admin = true where id = ?', [userId]);
        await claimUnownedBoards(tx, userId);
        return true;
      });
    },

    /**
     * An account without a password, for integrations and benchmarks that only ever use API tokens:
     * it cannot sign in. Made directly here because better-auth has nothing to hash for it.
     */
    async createServiceAccount(name: string, email: string): Promise<AccountDTO> {
      // The same rule as every other way a name is set: it is copied into every event.
      const named = normaliseDisplayName(name);
      if (!named.ok) throw new DomainError('INVALID', named.message);
      const row = { id: randomUUID(), name: named.name, email: normaliseEmail(email), isAdmin: false };
      await engine.write((tx) => tx.run('insert into users (id, name, email, email_verified, is_admin) values (?, ?, ?, false, false)', [row.id, row.name, row.email]));
      return row;
    },

    /** The boards a user is a member of, with the role. */
    async boardRoles(userId: string): Promise<Map<string, BoardRole>> {
      const rows = await read((sql) => sql.all<{ boardId: string; role: string }>('select board_id as "boardId", role from board_members where user_id = ?', [userId]));
      return new Map(rows.flatMap((r) => (isBoardRole(r.role) ? [[r.boardId, r.role] as const] : [])));
    },

    async listMembers(boardId: string): Promise<MemberDTO[]> {
      const rows = await read((sql) =>
        sql.all<{ userId: string; name: string; email: string; role: string; since: number }>(
          `select u.id as "userId", u.name, u.email, m.role, m.created_at as since
           from board_members m join users u on u.id = m.user_id where m.board_id = ? order by u.name, u.email`,
          [boardId],
        ),
      );
      return rows.map((r) => ({ ...r, role: isBoardRole(r.role) ? r.role : 'viewer', since: iso(r.since) }));
    },

    /** Adds an existing account to a board; CONFLICT when it is a member already. */
    addMember(boardId: string, userId: string, role: BoardRole): Promise<void> {
      return engine.write(async (tx) => {
        await lockExistingBoard(tx, boardId);
        if (await roleIn(tx, boardId, userId)) throw new DomainError('CONFLICT', 'Already a member of this board');
        await tx.run('insert into board_members (board_id, user_id, role, created_at) values (?, ?, ?, ?)', [boardId, userId, role, clock()]);
      });
    },

    setRole(boardId: string, userId: string, role: BoardRole): Promise<void> {
      return engine.write(async (tx) => {
        await lockExistingBoard(tx, boardId);
        const current = await roleIn(tx, boardId, userId);
        if (!current) throw new DomainError('NOT_FOUND', 'Not a member of this board');
        if (current === 'admin' && role !== 'admin' && (await adminCount(tx, boardId)) <= 1) {
          throw new DomainError('CONFLICT', 'A board keeps at least one admin: make someone else admin first');
        }
        await tx.run('update board_members set role = ? where board_id = ? and user_id = ?', [role, boardId, userId]);
      });
    },

    removeMember(boardId: string, userId: string): Promise<void> {
      return engine.write(async (tx) => {
        await lockExistingBoard(tx, boardId);
        const current = await roleIn(tx, boardId, userId);
        if (!current) throw new DomainError('NOT_FOUND', 'Not a member of this board');
        if (current === 'admin' && (await adminCount(tx, boardId)) <= 1) {
          throw new DomainError('CONFLICT', 'A board keeps at least one admin: make someone else admin first');
        }
        await tx.run('delete from board_members where board_id = ? and user_id = ?', [boardId, userId]);
      });
    },

    /**
     * Records an invitation for `email` to join `boardId` with `role`, whether or not an account uses
     * that address (no account is looked up, so neither the answer nor its timing says which), or
     * renews the pending one for the same address. Nobody joins until they accept. 'member' when an
     * account with that address is on the board already: the admin's members list shows it anyway.
     */
    inviteByEmail(boardId: string, rawEmail: string, role: BoardRole, invitedBy: string): Promise<'recorded' | 'member'> {
      const email = normaliseEmail(rawEmail);
      return engine.write(async (tx) => {
        await lockExistingBoard(tx, boardId);
        const member = await tx.get('select 1 as x from board_members m join users u on u.id = m.user_id where m.board_id = ? and u.email = ?', [boardId, email]);
        if (member) return 'member';
        const now = clock();
        await tx.run('delete from board_email_invites where board_id = ? and expires_at <= ?', [boardId, now]);
        const expiresAt = now + EMAIL_INVITE_LIMITS.ttlDays * DAY_MS;
        const renewed = await tx.run('update board_email_invites set role = ?, invited_by = ?, created_at = ?, expires_at = ? where board_id = ? and email = ?', [
          role,
          invitedBy,
          now,
          expiresAt,
          boardId,
          email,
        ]);
        if (renewed > 0) return 'recorded';
        const pending = (await tx.get<{ n: number }>('select count(*) as n from board_email_invites where board_id = ?', [boardId]))?.n ?? 0;
        if (Number(pending) >= EMAIL_INVITE_LIMITS.pendingPerBoard) {
          throw new DomainError('CONFLICT', `A board has at most ${EMAIL_INVITE_LIMITS.pendingPerBoard} pending invitations: withdraw some, or wait until they are accepted or expire`);
        }
        await tx.run('insert into board_email_invites (id, board_id, email, role, invited_by, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)', [
          randomUUID(),
          boardId,
          email,
          role,
          invitedBy,
          now,
          expiresAt,
        ]);
        return 'recorded';
      });
    },

    /** The board's pending invitations by email, for its admins. */
    async listEmailInvites(boardId: string): Promise<EmailInviteDTO[]> {
      const rows = await read((sql) =>
        sql.all<{ id: string; email: string; role: string; invitedBy: string; createdAt: number; expiresAt: number }>(
          `select i.id, i.email, i.role, u.name as "invitedBy", i.created_at as "createdAt", i.expires_at as "expiresAt"
           from board_email_invites i join users u on u.id = i.invited_by where i.board_id = ? and i.expires_at > ? order by i.created_at, i.email`,
          [boardId, clock()],
        ),
      );
      return rows.flatMap((r) => (isBoardRole(r.role) ? [{ ...r, role: r.role, createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) }] : []));
    },

    async withdrawEmailInvite(boardId: string, inviteId: string): Promise<void> {
      const changes = await engine.write((tx) => tx.run('delete from board_email_invites where board_id = ? and id = ?', [boardId, inviteId]));
      if (changes === 0) throw new DomainError('NOT_FOUND', 'Invitation not found: it was accepted, declined or withdrawn already');
    },

    /** Pending invitations addressed to this account's email, for boards it is not on yet. */
    async receivedInvites(user: { id: string; email: string }): Promise<ReceivedInviteDTO[]> {
      const rows = await read((sql) =>
        sql.all<{ id: string; boardId: string; boardName: string; role: string; invitedBy: string; createdAt: number; expiresAt: number }>(
          `select i.id, i.board_id as "boardId", b.name as "boardName", i.role, u.name as "invitedBy", i.created_at as "createdAt", i.expires_at as "expiresAt"
           from board_email_invites i join boards b on b.id = i.board_id join users u on u.id = i.invited_by
           where i.email = ? and i.expires_at > ?
             and not exists (select 1 from board_members m where m.board_id = i.board_id and m.user_id = ?)
           order by i.created_at desc`,
          [normaliseEmail(user.email), clock(), user.id],
        ),
      );
      return rows.flatMap((r) => (isBoardRole(r.role) ? [{ ...r, role: r.role, createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) }] : []));
    },

    /**
     * The person the invitation is addressed to joins with its role (an existing member keeps the
     * higher of the two) and the invitation is spent. Anyone else, or a late answer, gets NOT_FOUND:
     * the same as for an id that never existed.
     */
    acceptEmailInvite(inviteId: string, user: { id: string; email: string }): Promise<{ boardId: string; role: BoardRole }> {
      const email = normaliseEmail(user.email);
      return engine.write(async (tx) => {
        const found = await tx.get<{ boardId: string }>('select board_id as "boardId" from board_email_invites where id = ? and email = ?', [inviteId, email]);
        if (found) await tx.lockBoard(found.boardId);
        // Read again under the lock: an admin may have withdrawn it meanwhile.
        const invite = await tx.get<{ boardId: string; role: string; expiresAt: number }>(
          'select board_id as "boardId", role, expires_at as "expiresAt" from board_email_invites where id = ? and email = ?',
          [inviteId, email],
        );
        if (!invite || invite.expiresAt <= clock() || !isBoardRole(invite.role)) {
          throw new DomainError('NOT_FOUND', 'This invitation is unknown, expired or withdrawn: ask the board’s admin for a new one');
        }
        await tx.run('delete from board_email_invites where id = ?', [inviteId]);
        const current = await roleIn(tx, invite.boardId, user.id);
        if (!current) {
          await tx.run('insert into board_members (board_id, user_id, role, created_at) values (?, ?, ?, ?)', [invite.boardId, user.id, invite.role, clock()]);
          return { boardId: invite.boardId, role: invite.role };
        }
        if (hasRole(current, invite.role)) return { boardId: invite.boardId, role: current };
        await tx.run('update board_members set role = ? where board_id = ? and user_id = ?', [invite.role, invite.boardId, user.id]);
        return { boardId: invite.boardId, role: invite.role };
      });
    },

    /** The person it is addressed to says no: the invitation is gone. NOT_FOUND for anyone else. */
    async declineEmailInvite(inviteId: string, user: { email: string }): Promise<void> {
      const changes = await engine.write((tx) => tx.run('delete from board_email_invites where id = ? and email = ?', [inviteId, normaliseEmail(user.email)]));
      if (changes === 0) throw new DomainError('NOT_FOUND', 'This invitation is unknown, expired or withdrawn');
    },

    /** A link secret for one person to join `boardId` with `role` before it expires. Shown once. */
    async createInvite(boardId: string, role: BoardRole, createdBy: string, ttlHours: number): Promise<{ secret: string; invite: InviteDTO }> {
      const secret = newSecret();
      const now = clock();
      const row = { id: randomUUID(), boardId, tokenHash: hashSecret(secret), role, createdBy, createdAt: now, expiresAt: now + ttlHours * 3_600_000 };
      await engine.write(async (tx) => {
        await lockExistingBoard(tx, boardId);
        // Expired links are useless; clear them while here.
        await tx.run('delete from board_invites where board_id = ? and expires_at <= ?', [boardId, now]);
        await tx.run('insert into board_invites (id, board_id, token_hash, role, created_by, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)', [
          row.id,
          boardId,
          row.tokenHash,
          role,
          createdBy,
          now,
          row.expiresAt,
        ]);
      });
      return { secret, invite: { id: row.id, role, createdAt: iso(row.createdAt), expiresAt: iso(row.expiresAt) } };
    },

    async listInvites(boardId: string): Promise<InviteDTO[]> {
      const rows = await read((sql) =>
        sql.all<{ id: string; role: string; createdAt: number; expiresAt: number }>(
          'select id, role, created_at as "createdAt", expires_at as "expiresAt" from board_invites where board_id = ? and expires_at > ? order by created_at',
          [boardId, clock()],
        ),
      );
      return rows.map((r) => ({ id: r.id, role: isBoardRole(r.role) ? r.role : 'viewer', createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) }));
    },

    async revokeInvite(boardId: string, inviteId: string): Promise<void> {
      const changes = await engine.write((tx) => tx.run('delete from board_invites where board_id = ? and id = ?', [boardId, inviteId]));
      if (changes === 0) throw new DomainError('NOT_FOUND', 'Invite not found');
    },

    /** What a link leads to, without using it; null when unknown or expired. */
    async peekInvite(secret: string): Promise<{ boardId: string; boardName: string; role: BoardRole; expiresAt: string } | null> {
      const row = await read((sql) =>
        sql.get<{ boardId: string; boardName: string; role: string; expiresAt: number }>(
          `select i.board_id as "boardId", b.name as "boardName", i.role, i.expires_at as "expiresAt"
           from board_invites i join boards b on b.id = i.board_id where i.token_hash = ? and i.expires_at > ?`,
          [hashSecret(secret), clock()],
        ),
      );
      if (!row || !isBoardRole(row.role)) return null;
      return { ...row, role: row.role, expiresAt: iso(row.expiresAt) };
    },

    /**
     * Uses a link: the user joins with its role (an existing member keeps the higher of the two
     * roles) and the link is spent. NOT_FOUND when it is unknown, used or expired.
     */
    acceptInvite(secret: string, userId: string): Promise<{ boardId: string; role: BoardRole }> {
      return engine.write(async (tx) => {
        const found = await tx.get<{ boardId: string }>('select board_id as "boardId" from board_invites where token_hash = ?', [hashSecret(secret)]);
        if (found) await tx.lockBoard(found.boardId);
        // Read again under the lock: of two people using one link at once, one gets it.
        const invite = await tx.get<{ id: string; boardId: string; role: string; expiresAt: number }>(
          'select id, board_id as "boardId", role, expires_at as "expiresAt" from board_invites where token_hash = ?',
          [hashSecret(secret)],
        );
        if (!invite || invite.expiresAt <= clock() || !isBoardRole(invite.role)) {
          throw new DomainError('NOT_FOUND', 'This invite link is unknown, used or expired: ask for a new one');
        }
        await tx.run('delete from board_invites where id = ?', [invite.id]);
        const current = await roleIn(tx, invite.boardId, userId);
        if (!current) {
          await tx.run('insert into board_members (board_id, user_id, role, created_at) values (?, ?, ?, ?)', [invite.boardId, userId, invite.role, clock()]);
          return { boardId: invite.boardId, role: invite.role };
        }
        if (hasRole(current, invite.role)) return { boardId: invite.boardId, role: current };
        await tx.run('update board_members set role = ? where board_id = ? and user_id = ?', [invite.role, invite.boardId, userId]);
        return { boardId: invite.boardId, role: invite.role };
      });
    },

    /** A new personal API token; the secret is returned once and never stored. */
    async createToken(userId: string, name: string): Promise<{ secret: string; token: TokenDTO }> {
      const secret = newSecret(TOKEN_PREFIX);
      const row = { id: randomUUID(), prefix: secret.slice(0, TOKEN_PREFIX.length + 6), createdAt: clock() };
      await engine.write((tx) =>
        tx.run('insert into api_tokens (id, user_id, name, token_hash, prefix, created_at, last_used_at) values (?, ?, ?, ?, ?, ?, null)', [
          row.id,
          userId,
          name,
          hashSecret(secret),
          row.prefix,
          row.createdAt,
        ]),
      );
      return { secret, token: { id: row.id, name, prefix: row.prefix, createdAt: iso(row.createdAt), lastUsedAt: null } };
    },

    async listTokens(userId: string): Promise<TokenDTO[]> {
      const rows = await read((sql) =>
        sql.all<{ id: string; name: string; prefix: string; createdAt: number; lastUsedAt: number | null }>(
          'select id, name, prefix, created_at as "createdAt", last_used_at as "lastUsedAt" from api_tokens where user_id = ? order by created_at',
          [userId],
        ),
      );
      return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.createdAt), lastUsedAt: r.lastUsedAt === null ? null : iso(r.lastUsedAt) }));
    },

    async revokeToken(userId: string, tokenId: string): Promise<void> {
      const changes = await engine.write((tx) => tx.run('delete from api_tokens where user_id = ? and id = ?', [userId, tokenId]));
      if (changes === 0) throw new DomainError('NOT_FOUND', 'Token not found');
    },

    /** The owner of a presented token, or null. Looked up by hash: no secret is ever compared in the clear. */
    async verifyToken(secret: string): Promise<TokenOwner | null> {
      if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null;
      const row = await read((sql) =>
        sql.get<UserRow & { tokenId: string; lastUsedAt: number | null }>(
          `select t.id as "tokenId", t.last_used_at as "lastUsedAt", u.id, u.name, u.email, u.is_admin as "isAdmin"
           from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`,
          [hashSecret(secret)],
        ),
      );
      if (!row) return null;
      const now = clock();
      if (row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS) {
        await engine.write((tx) => tx.run('update api_tokens set last_used_at = ? where id = ?', [now, row.tokenId]));
      }
      return { tokenId: row.tokenId, user: toAccount(row) };
    },

    /**
     * When a better-auth session expires now (ms since the epoch); null when it is gone (signed out).
     * Read without better-auth's getSession, which would delete an expired row, and without extending it.
     */
    async sessionExpiresAt(sessionId: string): Promise<number | null> {
      const row = await read((sql) => sql.get<{ expiresAt: number | string | Date }>('select expires_at as "expiresAt" from sessions where id = ?', [sessionId]));
      if (!row) return null;
      const { expiresAt } = row;
      if (expiresAt instanceof Date) return expiresAt.getTime();
      return typeof expiresAt === 'number' || /^\d+$/.test(expiresAt) ? Number(expiresAt) : Date.parse(expiresAt);
    },

    /** Boards that nobody is a member of; used by tests and the CLI. */
    async unownedBoardIds(): Promise<string[]> {
      const rows = await read((sql) => sql.all<{ id: string }>('select b.id from boards b where not exists (select 1 from board_members m where m.board_id = b.id)'));
      return rows.map((r) => r.id);
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
