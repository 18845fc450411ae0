/** The store's SQL is written once for both engines: their schemas must name the same tables and columns. */
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { schemaTables } from '../../db/copy';
import * as pg from '../../db/postgres/schema';
import * as sqlite from '../../db/sqlite/schema';

const shape = (schema: Record<string, unknown>) =>
  Object.fromEntries(
    [...schemaTables(schema)].map(([name, t]) => [name, Object.entries(getTableColumns(t)).map(([field, c]) => `${field}:${c.name}:${c.notNull ? 'not null' : 'null'}`).toSorted()]),
  );

describe('the two engines’ schemas', () => {
  it('have the same tables, columns, field names and nullability', () => {
    const a = shape(sqlite);
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(shape(pg)).toEqual(a);
  });
});
