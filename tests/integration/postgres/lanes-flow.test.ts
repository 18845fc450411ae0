/** The lane and class flow suite again, on a PostgreSQL database of its own (tests/services.ts). */
import { describe, it } from 'vitest';
import { withPostgres } from '../../services';
import { runSuiteOnEngine } from '../helpers';

if (withPostgres) {
  runSuiteOnEngine('postgres');
  await import('../lanes-flow.test');
} else {
  describe.skip('lane and class flow on PostgreSQL', () => it('needs a PostgreSQL server (FLOWBOARD_TEST_DATABASE_URL)', () => {}));
}
