/** One-line definitions shown next to each chart (hover or focus the "?"); docs/metrics.md has the worked examples. */
export const HELP = {
  cfd: 'Each line counts the cards that have reached that work center or any later one, so no line ever goes down. The top line is cumulative arrivals, the bottom line cumulative departures; the height of a band is the work between two steps. A card counts at the furthest work center it has reached: a backward move does not pull a line down. Red marks are defects: backward moves returned to a work center in that interval.',
  inColumn: 'The plain count of cards in each work center at the end of each interval. Unlike the cumulative view, it goes down when cards leave.',
  cycleTime:
    'Cycle time: from entering the commitment work center (or any later one) to entering the last one. Lead time: from creation to entering the last one. One dot per finished card; the lines are the 50th, 85th and 95th percentiles (nearest rank).',
  throughput: 'Cards that reached the last work center, per day or per week (Monday to Sunday, your time zone). A week cut by the range shows how many of its days are in it.',
  wip: 'Work in progress at the end of each interval: cards that have reached the commitment work center and not yet the last one (deleted cards leave it).',
  littlesLaw:
    'Little’s law: average WIP ≈ throughput × average cycle time when flow is stable. A large deviation means the range is not in a steady state: work piling up (WIP above) or draining (WIP below).',
  aging: 'Every started, unfinished card’s age since it crossed the commitment point, against the cycle-time percentiles of the range. Above the 85th percentile it is likely stuck. The board shows the same marks on its cards.',
  arrivals: 'Arrivals: cards entering a work center (creation or a move in). Departures: cards moving out of it. Per week of the range.',
  demand:
    'Intake: cards that crossed the commitment point, per week. Throughput: cards that finished, per week. Demand: what the customer needs per week, set in the flow settings.',
  defects:
    'Defects passed downstream: each backward move, by the work center that found it (row) and the one it went back to (column). Rework rate: returns to a work center divided by departures from it.',
  blockers:
    'Blocked time: how long cards were blocked within the range (a card still blocked counts up to now), by the work center it was in and by the reason given; a reason counts the cards blocked for it. Share of cycle time blocked: of the finished cards’ summed cycle time, the part they spent blocked.',
  batch:
    'Batch size: cards split into smaller ones within the range (the card leaves the board, its children take its place), and the cycle time of finished split items (children of a split) against finished items never split: median and 85th percentile, nearest rank. A split in the backlog changes nothing about where cycle time starts; a split past the commitment point starts its children’s at the split.',
  bottleneck:
    'The work center between the commitment point and the last one whose queue (cards in it) grew fastest over the range: the largest least-squares slope of its daily count. Named only on evidence: a range of a week or more, at least 10 arrivals, a queue that gained 2 cards or more, and a lead over the next work center that no single move could close.',
  forecast:
    'Monte Carlo: each of 10,000 trials replays the future one working day at a time, each day finishing as many items as a working day of the range picked at random. "When": the day by which that share of trials finished the items. "How many": the number that share of trials reached or passed by the date. Days that are not working days (Settings) finish nothing and are left out of the sample. The backtest makes the same forecast with the data of 2 and 4 weeks ago and checks it against what happened.',
} as const;

export type HelpKey = keyof typeof HELP;
