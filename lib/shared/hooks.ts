/**
 * Inbound hooks (docs/integrations.md): the pipeline's and the monitoring's happenings, the board's
 * mapping from them to work centers, and what a hook's log shows. Shared by the server, which reads
 * payloads into happenings and applies the mapping, and the admin page, which edits it.
 */
import { z } from 'zod';
import { CARD_TYPES, type CardType } from './domain/types';
import { LIMITS } from './domain/limits';

export const HOOK_PROVIDERS = ['github', 'gitlab', 'alertmanager', 'generic'] as const;
export type HookProvider = (typeof HOOK_PROVIDERS)[number];

export const PROVIDER_NAMES: Record<HookProvider, string> = { github: 'GitHub', gitlab: 'GitLab', alertmanager: 'Alertmanager', generic: 'Flowboard JSON' };

/** What a provider's delivery can say happened, as the mapping names it. */
export const HAPPENINGS = {
  github: [
    'pull_request.opened',
    'pull_request.merged',
    'pull_request.closed',
    'push',
    'workflow_run.success',
    'workflow_run.failure',
    'deployment_status.success',
    'deployment_status.failure',
  ],
  gitlab: ['merge_request.opened', 'merge_request.merged', 'merge_request.closed', 'push', 'pipeline.success', 'pipeline.failure', 'deployment.success', 'deployment.failed'],
  alertmanager: ['alert.firing'],
  generic: [],
} as const satisfies Record<HookProvider, readonly string[]>;

export const HAPPENING_LABELS: Record<string, string> = {
  'pull_request.opened': 'Pull request opened',
  'pull_request.merged': 'Pull request merged',
  'pull_request.closed': 'Pull request closed without merging',
  push: 'Push naming the card',
  'workflow_run.success': 'Workflow run succeeded',
  'workflow_run.failure': 'Workflow run failed',
  'deployment_status.success': 'Deployment succeeded',
  'deployment_status.failure': 'Deployment failed',
  'merge_request.opened': 'Merge request opened',
  'merge_request.merged': 'Merge request merged',
  'merge_request.closed': 'Merge request closed without merging',
  'pipeline.success': 'Pipeline succeeded',
  'pipeline.failure': 'Pipeline failed',
  'deployment.success': 'Deployment succeeded',
  'deployment.failed': 'Deployment failed',
  'alert.firing': 'Alert firing: create a card',
};

/** Happenings that name an environment: a rule may ask for one (production). */
export const ENVIRONMENT_HAPPENINGS = new Set(['deployment_status.success', 'deployment_status.failure', 'deployment.success', 'deployment.failed']);

const happeningNames = new Set<string>(Object.values(HAPPENINGS).flat());

/**
 * One line of a board's mapping: when `provider` says `happening` (in `environment`, when given),
 * the cards it names move to `workCenterId`; for `alert.firing` a card of `cardType` is created
 * there instead (in `laneId`, else the board's expedite lane, else its first standard lane).
 */
export interface HookRule {
  provider: Exclude<HookProvider, 'generic'>;
  happening: string;
  environment?: string | null;
  workCenterId: string;
  laneId?: string | null;
  cardType?: CardType;
}

export const MAX_HOOK_RULES = 50;

const ruleSchema = z
  .strictObject({
    provider: z.enum(['github', 'gitlab', 'alertmanager']),
    happening: z.string().max(60),
    environment: z.string().trim().min(1).max(100).nullable().optional(),
    workCenterId: z.string().min(1).max(LIMITS.id),
    laneId: z.string().min(1).max(LIMITS.id).nullable().optional(),
    cardType: z.enum(CARD_TYPES).optional(),
  })
  .refine((r) => happeningNames.has(r.happening) && (HAPPENINGS[r.provider] as readonly string[]).includes(r.happening), { message: 'Unknown happening for this provider', path: ['happening'] });

export const hookSchemas = {
  mapping: z.strictObject({ rules: z.array(ruleSchema).max(MAX_HOOK_RULES, `At most ${MAX_HOOK_RULES} rules`) }),
  hookCreate: z.strictObject({ name: z.string().trim().min(1, 'Name the hook after what calls it').max(LIMITS.actorName), provider: z.enum(HOOK_PROVIDERS) }),
} as const;

/** The rules that apply to a happening: the first whose environment matches, per work center; a rule without one matches any. */
export function rulesFor(rules: readonly HookRule[], provider: HookProvider, happening: string, environment: string | null): HookRule[] {
  return rules.filter(
    (r) => r.provider === provider && r.happening === happening && (r.environment == null || (environment !== null && r.environment.toLowerCase() === environment.toLowerCase())),
  );
}

/** A hook as admins see it (the secret only once, when made or rotated). */
export interface InboundHookDTO {
  id: string;
  boardId: string;
  name: string;
  provider: HookProvider;
  createdAt: string;
  /** The path to send deliveries to. */
  path: string;
}

export const HOOK_OUTCOMES = ['moved', 'created', 'noted', 'refused', 'ignored', 'duplicate', 'unauthorized', 'invalid', 'failed'] as const;
export type HookOutcome = (typeof HOOK_OUTCOMES)[number];

export interface HookLogEntry {
  seq: number;
  at: string;
  provider: string;
  happening: string | null;
  deliveryId: string | null;
  cardKey: string | null;
  outcome: HookOutcome;
  code: string | null;
  message: string;
}
