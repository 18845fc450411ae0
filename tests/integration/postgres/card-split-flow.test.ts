/** The card-split-flow suite (batch size on a hand-worked history) again, on a PostgreSQL database of its own (tests/services.ts). */
import { describe, it } from 'vitest';
import { withPostgres } from '../../services';
import { runSuiteOnEngine } from '../helpers';

if (withPostgres) {
  runSuiteOnEngine('postgres');
  await import('../card-split-flow.test');
} else {
  describe.skip('card-split-flow on PostgreSQL', () => it('needs a PostgreSQL server (FLOWBOARD_TEST_DATABASE_URL)', () => {}));
}
