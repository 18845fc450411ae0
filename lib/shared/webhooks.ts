/**
 * Outgoing webhooks as the API, the UI and the sender share them: which event types can be
 * subscribed to, what a request to create or change one looks like, and what the API answers.
 * Sending and signing are server-only (lib/server/webhooks).
 */
import { z } from 'zod';
import type { BoardEventType } from './domain/types';

/** Every event of the board's log, in the order a settings screen lists them. */
export const WEBHOOK_EVENT_TYPES = [
  'card_created',
  'card_updated',
  'card_moved',
  'card_deleted',
  'card_split',
  'card_automation_refused',
  'board_created',
  'board_renamed',
  'board_settings_changed',
  'person_wip_limit_set',
  'working_days_set',
  'key_prefix_set',
  'column_added',
  'column_renamed',
  'column_moved',
  'column_removed',
  'wip_limit_set',
  'column_split_set',
  'lane_added',
  'lane_renamed',
  'lane_moved',
  'lane_removed',
  'lane_configured',
] as const satisfies readonly BoardEventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

// A new event type must be listed above (this line stops compiling until it is).
type Unlisted = Exclude<BoardEventType, WebhookEventType>;
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeListed;

/** What most integrations want: the work moving. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ['card_created', 'card_moved', 'card_updated', 'card_deleted', 'card_split'];

export const WEBHOOK_LIMITS = {
  url: 2000,
  /** Short secrets can be guessed offline from one signed delivery. */
  secretMin: 16,
  secretMax: 200,
  /** Webhooks per board: each one multiplies the outbox writes of every move. */
  perBoard: 20,
} as const;

/** The request headers of a delivery (docs/integrations.md "Outgoing webhooks"). */
export const WEBHOOK_HEADERS = {
  signature: 'X-Flowboard-Signature',
  timestamp: 'X-Flowboard-Timestamp',
  delivery: 'X-Flowboard-Delivery',
  event: 'X-Flowboard-Event',
} as const;

const url = z
  .string()
  .trim()
  .min(1, 'Enter the URL to deliver to')
  .max(WEBHOOK_LIMITS.url, `At most ${WEBHOOK_LIMITS.url} characters`)
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'Expected an http:// or https:// URL');
const secret = z
  .string()
  .min(WEBHOOK_LIMITS.secretMin, `The secret needs at least ${WEBHOOK_LIMITS.secretMin} characters`)
  .max(WEBHOOK_LIMITS.secretMax, `At most ${WEBHOOK_LIMITS.secretMax} characters`);
const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: 'Unknown event type' }))
  .min(1, 'Choose at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t)));

export const webhookSchemas = {
  /** Without a secret, the server makes one and answers it once. */
  create: z.strictObject({ url, secret: secret.optional(), eventTypes }),
  update: z
    .strictObject({ url: url.optional(), secret: secret.optional(), eventTypes: eventTypes.optional(), enabled: z.boolean().optional() })
    .refine((v) => Object.keys(v).length > 0, 'Send at least one of url, secret, eventTypes, enabled'),
};
export type WebhookCreateInput = z.infer<typeof webhookSchemas.create>;
export type WebhookUpdateInput = z.infer<typeof webhookSchemas.update>;

/** A webhook as the API shows it: never its secret, only the last characters to tell secrets apart. */
export interface WebhookDTO {
  id: string;
  boardId: string;
  url: string;
  secretHint: string;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  /** Set when the app disabled it because it kept failing: what the admins are told. */
  disabledReason: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  createdAt: string;
  /** Deliveries waiting for their next attempt. */
  pending: number;
}

/** pending: waiting for an attempt (or its retry); delivered: a 2xx came back; dead: a day of retries failed. */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveryDTO {
  id: string;
  webhookId: string;
  eventVersion: number;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: string | null;
  createdAt: string;
}
