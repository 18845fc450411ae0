import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: children start here, so server.ts finds .next and the migrations. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
