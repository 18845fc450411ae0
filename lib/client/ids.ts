/**
 * Ids for client mutations. crypto.randomUUID exists only in secure contexts, and a standup screen
 * often opens the board over plain http on the office network; getRandomValues works everywhere.
 */
export function newId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
