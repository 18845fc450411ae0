import { defineConfig } from 'drizzle-kit';

// One folder per engine: `npm run db:generate` writes SQLite's migrations, `db:generate:pg` PostgreSQL's.
export default process.env.FLOWBOARD_DRIZZLE_ENGINE === 'postgres'
  ? defineConfig({ dialect: 'postgresql', schema: './db/postgres/schema.ts', out: './db/postgres/migrations' })
  : defineConfig({ dialect: 'sqlite', schema: './db/sqlite/schema.ts', out: './db/sqlite/migrations' });
