/** The value stream map endpoint again, on a PostgreSQL database of its own (tests/services.ts). */
import { describe, it } from 'vitest';
import { withPostgres } from '../../services';
import { runSuiteOnEngine } from '../helpers';

if (withPostgres) {
  runSuiteOnEngine('postgres');
  await import('../vsm.test');
} else {
  describe.skip('the value stream map on PostgreSQL', () => it('needs a PostgreSQL server (FLOWBOARD_TEST_DATABASE_URL)', () => {}));
}
