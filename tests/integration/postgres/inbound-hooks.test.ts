/** The inbound hooks and card keys suite again, on a PostgreSQL database of its own (tests/services.ts). */
import { describe, it } from 'vitest';
import { withPostgres } from '../../services';
import { runSuiteOnEngine } from '../helpers';

if (withPostgres) {
  runSuiteOnEngine('postgres');
  await import('../inbound-hooks.test');
} else {
  describe.skip('inbound hooks on PostgreSQL', () => it('needs a PostgreSQL server (FLOWBOARD_TEST_DATABASE_URL)', () => {}));
}
