/**
 * Next's route handlers and server components load their own copy of our modules, so the one
 * database handle and Socket.IO server that server.ts creates reach them through globalThis.
 * Only types are imported here: the page bundle must not pull in a database driver.
 */
import type { Access } from '../../db/access';
import type { Store } from '../../db/store';
import type { Webhooks } from '../../db/webhooks';
import type { Auth, SignupPolicy } from './auth';

export interface ServerHandle {
  store: Store;
  access: Access;
  auth: Auth;
  /** Outgoing webhooks of boards (the integrations page). */
  webhooks: Webhooks;
  needsFirstAdmin: () => Promise<boolean>;
  signup: SignupPolicy;
}

const KEY = '__flowboard';

export function setServerHandle(handle: ServerHandle): void {
  (globalThis as Record<string, unknown>)[KEY] = handle;
}

export function getServerHandle(): ServerHandle {
  const handle = (globalThis as Record<string, unknown>)[KEY] as ServerHandle | undefined;
  if (!handle) throw new Error('Flowboard server handle missing: start the app with server.ts (npm start / npm run dev)');
  return handle;
}
