/** The heavy-reads suite again, on a PostgreSQL database of its own (tests/services.ts). */
import { describe, it } from 'vitest';
import { withPostgres } from '../../services';
import { runSuiteOnEngine } from '../helpers';

if (withPostgres) {
  runSuiteOnEngine('postgres');
  await import('../heavy-reads.test');
} else {
  describe.skip('heavy reads on PostgreSQL', () => it('needs a PostgreSQL server (FLOWBOARD_TEST_DATABASE_URL)', () => {}));
}
