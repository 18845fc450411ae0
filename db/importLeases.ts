import { randomUUID } from 'node:crypto';
import type { Engine } from './engine';

/**
 * One CSV import at a time per account, on every process: a row per account in `import_leases`.
 * A 50,000-row import holds a few hundred MB and a core for many seconds; several at once from one
 * account only multiply that. The row is a lease rather than a flag: renewed while the import runs,
 * so one left behind by a process that died frees itself once it expires.
 */
export const IMPORT_LEASE = {
  /** Far longer than the pause between two renewals, even on a busy server. */
  ttlMs: 120_000,
  renewMs: 30_000,
} as const;

export interface ImportLease {
  /** Keeps it alive while the import runs (called on a timer). */
  renew(): Promise<void>;
  /** Frees it for the account's next import; safe to call twice. */
  release(): Promise<void>;
}

export function createImportLeases(engine: Engine, clock: () => number = Date.now) {
  return {
    /** The account's lease, or null while another import of that account holds one. */
    async acquire(userId: string): Promise<ImportLease | null> {
      const leaseId = randomUUID();
      const now = clock();
      const taken = await engine.write(async (tx) => {
        await tx.run('delete from import_leases where user_id = ? and expires_at <= ?', [userId, now]);
        // Of two imports starting at once, on any processes, the primary key lets one in.
        return tx.run('insert into import_leases (user_id, lease_id, expires_at) values (?, ?, ?) on conflict (user_id) do nothing', [userId, leaseId, now + IMPORT_LEASE.ttlMs]);
      });
      if (taken !== 1) return null;
      return {
        renew: async () => {
          await engine.write((tx) => tx.run('update import_leases set expires_at = ? where user_id = ? and lease_id = ?', [clock() + IMPORT_LEASE.ttlMs, userId, leaseId]));
        },
        release: async () => {
          await engine.write((tx) => tx.run('delete from import_leases where user_id = ? and lease_id = ?', [userId, leaseId]));
        },
      };
    },
  };
}

export type ImportLeases = ReturnType<typeof createImportLeases>;
