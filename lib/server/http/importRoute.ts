import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { Store } from '../../../db/store';
import { DomainError } from '../../shared/domain/errors';
import { actorOf, toFailure } from '../commands';
import { ImportRejected, prepareImport, runImport } from '../flow';
import type { Logger } from '../logger';
import { sendJson } from './respond';
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

/**
 * POST /api/import/csv: the whole file is checked first and refused with every line that is wrong;
 * only then is the board written. Asked for with Accept: application/x-ndjson, the answer streams one
 * {"progress"} line per percent, then {"done"} (or {"error"}).
 */
export function importHandler(store: Store, logger: Logger) {
  return async (c: Context<ApiEnv>): Promise<Response> => {
    let prepared;
    try {
      const fields = await importFields(c);
      // No text we keep may hold NUL (PostgreSQL's text cannot): a file with one is binary or broken.
      if ([...fields.values()].some((v) => v.includes('\u0000'))) throw new DomainError('INVALID', 'The file contains a NUL character (U+0000): save it as a text CSV file');
      prepared = await prepareImport(fields, new URL(c.req.url).searchParams);
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error;
      return sendJson(c, 400, { error: { code: error.code, message: error.message, details: error.details } });
    }
    const actor = actorOf(c.get('principal'));
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) return sendJson(c, 201, await runImport(store, prepared, actor));
    c.status(201);
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    c.header('cache-control', 'no-store');
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
        await out.write(`${JSON.stringify({ done: result })}\n`);
      } catch (error) {
        const failure = toFailure(error, logger, 'POST /api/import/csv');
        await out.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`);
      }
    });
  };
}
