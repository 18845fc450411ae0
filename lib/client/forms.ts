import { LIMITS } from '../shared/domain/limits';
import { describeIssues, schemas } from '../shared/protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A WIP limit typed in a form: empty means no limit; otherwise what the protocol accepts. */
export function parseWipLimit(text: string): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const n = Number(trimmed);
  const result = schemas.columnAdd.shape.wipLimit.safeParse(n);
  if (!result.success || result.data === undefined || !Number.isFinite(n)) {
    return { ok: false, message: `A WIP limit is a whole number from 1 to ${LIMITS.wipLimitMax}, or empty for no limit` };
  }
  return { ok: true, value: result.data };
}

export function parseColumnName(text: string): Parsed<string> {
  const result = schemas.columnAdd.shape.name.safeParse(text);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: describeIssues(result.error) };
}

export function parseBoardName(text: string): Parsed<string> {
  const result = schemas.boardRename.shape.name.safeParse(text);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: describeIssues(result.error) };
}

export interface TemplateRow {
  name: string;
  wipLimit: string;
}

/**
 * The create-board request from the editable template, validated by the protocol's own schema.
 * Messages name the work center by its place ("Work center 3: ...") instead of a schema path.
 */
export function parseNewBoard(name: string, rows: readonly TemplateRow[]): Parsed<{ name: string; columns: { name: string; wipLimit: number | null }[] }> {
  const columns: { name: string; wipLimit: number | null }[] = [];
  for (const [i, row] of rows.entries()) {
    const limit = parseWipLimit(row.wipLimit);
    if (!limit.ok) return { ok: false, message: `Work center ${i + 1} (${row.name.trim() || 'unnamed'}): ${limit.message}` };
    columns.push({ name: row.name, wipLimit: limit.value });
  }
  const result = schemas.boardCreate.safeParse({ name, columns });
  if (result.success) {
    return { ok: true, value: { name: result.data.name, columns: (result.data.columns ?? []).map((c) => ({ name: c.name, wipLimit: c.wipLimit ?? null })) } };
  }
  const issue = result.error.issues[0];
  const [field, index] = issue?.path ?? [];
  if (field === 'columns' && typeof index === 'number') return { ok: false, message: `Work center ${index + 1}: ${issue?.message}` };
  if (field === 'columns') return { ok: false, message: `A board needs between 1 and ${LIMITS.columnsPerBoard} work centers` };
  return { ok: false, message: issue?.message ?? 'Invalid board' };
}
