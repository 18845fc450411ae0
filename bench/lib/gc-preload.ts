/**
 * Loaded with --import into every server the benchmarks start (with --expose-gc), so the runner can
 * ask for a full collection before it reads the resident memory. Touches nothing else.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) process.on('SIGUSR2', () => collect());
