import type { Context, MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import { createImportLeases, IMPORT_LEASE, type ImportLease } from '../../../db/importLeases';
import type { Store } from '../../../db/store';
import { DomainError } from '../../shared/domain/errors';
import { actorOf, toFailure } from '../commands';
import { ImportRejected, prepareImport, runImport } from '../flow';
import type { Logger } from '../logger';
import { sendError, sendJson } from './respond';
import type { ApiEnv } from './routes';

/** The fields of an import: a form's fields (its files read as UTF-8 text), or the whole body as `file`. */
async function importFields(c: Context<ApiEnv>): Promise<Map<string, string>> {
  if (!(c.req.header('content-type') ?? '').includes('multipart/form-data')) return new Map([['file', await c.req.text()]]);
  let form: Record<string, string | File>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new DomainError('INVALID', 'The body is not a valid multipart/form-data form');
  }
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(form)) fields.set(name, typeof value === 'string' ? value : await value.text());
  return fields;
}

/** The lease, renewed on a timer until `release` (once, whatever happens; its failure is only logged). */
function keepAlive(lease: ImportLease, logger: Logger): () => Promise<void> {
  const renewal = setInterval(() => void lease.renew().catch((error: unknown) => logger.warn(`import lease renewal failed: ${String(error)}`)), IMPORT_LEASE.renewMs);
  renewal.unref();
  let released: Promise<void> | undefined;
  return () => {
    clearInterval(renewal);
    released ??= lease.release().catch((error: unknown) => logger.warn(`import lease release failed: ${String(error)}`));
    return released;
  };
}

/**
 * One import at a time per account (db/importLeases.ts). Runs before the body limit, which reads a
 * chunked body whole: a second import is refused before any of its body is read. The lease is given
 * back on every way out: here, unless the answer streams, in which case the stream does it.
 */
export function importLease(store: Store, logger: Logger): MiddlewareHandler<ApiEnv> {
  const leases = createImportLeases(store.engine);
  return async (c, next) => {
    const lease = await leases.acquire(c.get('principal').user.id);
    if (!lease) {
      return sendError(
        c,
        { code: 'IMPORT_BUSY', message: 'An import of yours is still running: wait until it finishes, then try again (one import at a time per account)' },
        // The body is never parsed nor kept: Node discards it as it arrives, so that a browser still
        // uploading it gets this answer rather than a reset connection.
        { 'retry-after': '5' },
      );
    }
    const held = { release: keepAlive(lease, logger), streaming: false };
    c.set('importLease', held);
    try {
      await next();
    } finally {
      if (!held.streaming) await held.release();
    }
  };
}

/**
 * POST /api/import/csv: the whole file is checked first and refused with every line that is wrong;
 * only then is the board written. Asked for with Accept: application/x-ndjson, the answer streams one
 * {"progress"} line per percent, then {"done"} (or {"error"}).
 */
export function importHandler(store: Store, logger: Logger) {
  return async (c: Context<ApiEnv>): Promise<Response> => {
    const lease = c.get('importLease');
    // Given back before the answer: whoever reads it may start the next import at once.
    const release = async () => lease?.release();
    let prepared;
    try {
      const fields = await importFields(c);
      // No text we keep may hold NUL (PostgreSQL's text cannot): a file with one is binary or broken.
      if ([...fields.values()].some((v) => v.includes('\u0000'))) throw new DomainError('INVALID', 'The file contains a NUL character (U+0000): save it as a text CSV file');
      prepared = await prepareImport(fields, new URL(c.req.url).searchParams);
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error;
      await release();
      return sendJson(c, 400, { error: { code: error.code, message: error.message, details: error.details } });
    }
    const actor = actorOf(c.get('principal'));
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) {
      const result = await runImport(store, prepared, actor);
      await release();
      return sendJson(c, 201, result);
    }
    c.status(201);
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    c.header('cache-control', 'no-store');
    if (lease) lease.streaming = true;
    return stream(c, async (out) => {
      let shown = -1;
      try {
        const result = await runImport(store, prepared, actor, (done) => {
          const percent = Math.floor(done * 100);
          if (percent <= shown) return;
          shown = percent;
          // Written in order; a client that left makes the write a no-op, and the import goes on.
          void out.write(`${JSON.stringify({ progress: done })}\n`);
        });
        await release();
        await out.write(`${JSON.stringify({ done: result })}\n`);
      } catch (error) {
        await release();
        const failure = toFailure(error, logger, 'POST /api/import/csv');
        await out.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`);
      }
    });
  };
}
