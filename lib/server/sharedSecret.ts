/**
 * Processes that share a database share its sessions, so they must sign cookies with the same
 * secret: a cookie signed by one would be refused by the next. The first process records a
 * fingerprint of its secret (never the secret) in the database; a process whose secret does not
 * match it refuses to start instead of signing everyone out at random.
 */
import { createHmac } from 'node:crypto';
import type { Engine } from '../../db/engine';

const KEY = 'session_secret_fingerprint';

export const fingerprintOf = (secret: string) => createHmac('sha256', secret).update('flowboard session secret fingerprint').digest('hex');

export class SecretMismatchError extends Error {}

export async function checkSharedSecret(engine: Engine, secret: string): Promise<void> {
  const mine = fingerprintOf(secret);
  const recorded = await engine.write(async (tx) => {
    await tx.run('insert into instance_settings (key, value) values (?, ?) on conflict (key) do nothing', [KEY, mine]);
    return (await tx.get<{ value: string }>('select value from instance_settings where key = ?', [KEY]))?.value;
  });
  if (recorded !== mine) {
    throw new SecretMismatchError(
      'This process has a different session secret (FLOWBOARD_SECRET) from the other processes on this database. Use the same secret everywhere; ' +
        'to change it, stop every process and run `npm run cli -- secret:reset` first.',
    );
  }
}

/** Forgets the recorded fingerprint: the next process to start records its own (every session ends). */
export async function resetSharedSecret(engine: Engine): Promise<void> {
  await engine.write(async (tx) => {
    await tx.run('delete from instance_settings where key = ?', [KEY]);
    await tx.run('delete from sessions');
  });
}
