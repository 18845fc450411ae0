/** Field limits, enforced by the zod schemas at every boundary and shown in forms. */
export const LIMITS = {
  boardName: 80,
  columnName: 40,
  cardTitle: 200,
  cardDescription: 10_000,
  reason: 500,
  actorName: 40,
  /** A value stream wider than this no longer fits a standup screen. */
  columnsPerBoard: 20,
  /** A limit this high is no limit; it catches typos such as 1000 for 10. */
  wipLimitMax: 999,
  /** Cards per week; above this it is a typo, not a demand. */
  demandPerWeekMax: 100_000,
  id: 64,
  /** A card's order key: fractional keys grow a character now and then; far longer is no key of ours. */
  position: 1000,
  clientMutationId: 64,
  /** More people than this on one card is a team, not an assignment. */
  assigneesPerCard: 10,
  email: 254,
  tokenName: 60,
  /** Longer than any token or invite secret we issue (about 50 characters). */
  apiToken: 200,
  /** Holiday dates a board's working days can list: a few years of public holidays. */
  holidays: 400,
  /** An invite link lives at most 30 days. */
  inviteHoursMax: 720,
} as const;

/** Long enough for a passphrase, short enough to bound the hashing work (enforced by better-auth). */
export const PASSWORD_LIMITS = { min: 8, max: 128 } as const;

/** How far back the "defects returned" count in a column header looks. */
export const DEFECT_WINDOW_DAYS = 14;

/** The value stream a new board starts from; the user can edit it. */
export const VALUE_STREAM_TEMPLATE: ReadonlyArray<{ name: string; wipLimit: number | null }> = [
  { name: 'Concept', wipLimit: null },
  { name: 'Design', wipLimit: 3 },
  { name: 'Develop', wipLimit: 5 },
  { name: 'Test', wipLimit: 3 },
  { name: 'Deploy', wipLimit: 2 },
  { name: 'Operate', wipLimit: null },
  { name: 'Done', wipLimit: null },
];
