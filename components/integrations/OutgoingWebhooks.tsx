'use client';
import { useId, useState, type FormEvent } from 'react';
import { apiCall } from '../../lib/client/api';
import { DEFAULT_WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPES, WEBHOOK_LIMITS, type DeliveryDTO, type WebhookDTO, type WebhookEventType } from '../../lib/shared/webhooks';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const when = (iso: string | null) => (iso ? dateFormat.format(new Date(iso)) : '—');

/** Event types as people read them. */
const EVENT_LABEL: Record<WebhookEventType, string> = {
  card_created: 'Card created',
  card_updated: 'Card changed',
  card_moved: 'Card moved',
  card_deleted: 'Card deleted',
  card_split: 'Card split',
  card_automation_refused: 'Automated move refused',
  board_created: 'Board created',
  board_renamed: 'Board renamed',
  board_settings_changed: 'Flow settings changed',
  person_wip_limit_set: 'Per-person WIP limit set',
  working_days_set: 'Working days set',
  key_prefix_set: 'Card key prefix set',
  column_added: 'Work center added',
  column_renamed: 'Work center renamed',
  column_moved: 'Work center moved',
  column_removed: 'Work center removed',
  wip_limit_set: 'WIP limit set',
  column_split_set: 'Work center split or joined',
  lane_added: 'Lane added',
  lane_renamed: 'Lane renamed',
  lane_moved: 'Lane moved',
  lane_removed: 'Lane removed',
  lane_configured: 'Lane class or limits set',
};

const STATUS_STYLE: Record<DeliveryDTO['status'], string> = {
  delivered: 'bg-emerald-100 text-emerald-900',
  pending: 'bg-amber-100 text-amber-950',
  dead: 'bg-rose-100 text-rose-900',
};
const STATUS_LABEL: Record<DeliveryDTO['status'], string> = { delivered: 'Delivered', pending: 'Retrying', dead: 'Gave up' };

/**
 * A board's outgoing webhooks (board admins only): register a receiver with its secret and event
 * types, turn it off and on, remove it, and read each one's delivery log with a way to redeliver.
 */
export function OutgoingWebhooks({ boardId, initialWebhooks }: { boardId: string; initialWebhooks: WebhookDTO[] }) {
  const id = useId();
  const [webhooks, setWebhooks] = useState(initialWebhooks);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [types, setTypes] = useState<ReadonlySet<WebhookEventType>>(new Set(DEFAULT_WEBHOOK_EVENT_TYPES));
  const [copied, setCopied] = useState(false);
  const base = `/api/boards/${boardId}/webhooks`;

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const secret = String(data.get('secret') ?? '');
    setBusy(true);
    setError(null);
    const result = await apiCall<{ webhook: WebhookDTO; secret: string }>('POST', base, {
      url: String(data.get('url') ?? ''),
      eventTypes: WEBHOOK_EVENT_TYPES.filter((t) => types.has(t)),
      ...(secret ? { secret } : {}),
    });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setWebhooks((list) => [...list, result.data.webhook]);
    setCreated({ url: result.data.webhook.url, secret: result.data.secret });
    setCopied(false);
    form.reset();
  };

  const replace = (webhook: WebhookDTO) => setWebhooks((list) => list.map((w) => (w.id === webhook.id ? webhook : w)));

  const toggle = (t: WebhookEventType, on: boolean) =>
    setTypes((current) => {
      const next = new Set(current);
      if (on) next.add(t);
      else next.delete(t);
      return next;
    });

  return (
    <section className="space-y-5" aria-labelledby={`${id}-title`} data-testid="outgoing-webhooks">
      <div className="space-y-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          Outgoing webhooks
        </h2>
        <p className="max-w-2xl text-sm text-slate-600">
          Each change on this board of the types you choose is sent as JSON to your URL, signed with the webhook’s secret (
          <code className="rounded bg-slate-200 px-1 py-0.5 text-xs">X-Flowboard-Signature</code>), and tried again for up to a day until your receiver answers
          with a 2xx. A webhook that keeps failing is turned off, and you are told here and on the board.
        </p>
      </div>

      {webhooks.some((w) => w.disabledReason) ? (
        <div className="rounded-2xl bg-rose-50 p-4 text-sm text-rose-900 ring-1 ring-rose-200" data-testid="webhook-disabled-notice">
          <p className="font-semibold">Turned off because they kept failing:</p>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {webhooks
              .filter((w) => w.disabledReason)
              .map((w) => (
                <li key={w.id}>
                  <span className="break-all font-mono text-xs">{w.url}</span>: {w.disabledReason}
                </li>
              ))}
          </ul>
          <p className="mt-1">Fix the receiver, then turn the webhook on again: the deliveries that waited are sent then.</p>
        </div>
      ) : null}

      <form onSubmit={(e) => void create(e)} className="space-y-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="add-webhook-form" aria-label="Add a webhook">
        <Field label="Payload URL" htmlFor={`${id}-url`} hint="http:// or https://. Addresses inside the server’s own network are refused unless the operator allows them.">
          <input id={`${id}-url`} name="url" type="url" required maxLength={WEBHOOK_LIMITS.url} placeholder="https://ci.example.com/flowboard" className={inputClass} />
        </Field>
        <Field label="Secret (optional)" htmlFor={`${id}-secret`} hint={`Leave empty to have one generated (shown once). Your own: at least ${WEBHOOK_LIMITS.secretMin} characters.`}>
          <input
            id={`${id}-secret`}
            name="secret"
            type="password"
            autoComplete="off"
            minLength={WEBHOOK_LIMITS.secretMin}
            maxLength={WEBHOOK_LIMITS.secretMax}
            className={inputClass}
          />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events to send</legend>
          <div className="mt-2 grid gap-x-4 gap-y-1.5 sm:grid-cols-2 lg:grid-cols-3">
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <label key={t} className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" checked={types.has(t)} onChange={(e) => toggle(t, e.currentTarget.checked)} className="size-4 accent-sky-700" data-testid={`event-${t}`} />
                {EVENT_LABEL[t]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={busy || types.size === 0} className="py-2" data-testid="add-webhook">
            Add webhook
          </Button>
          {types.size === 0 ? <p className="text-sm text-slate-600">Choose at least one event.</p> : null}
        </div>
      </form>
      <FormError message={error} testId="webhook-error" />

      {created ? (
        <div className="space-y-2 rounded-2xl bg-emerald-50 p-5 ring-1 ring-emerald-200" role="status">
          <label htmlFor={`${id}-new-secret`} className="block text-sm font-semibold text-emerald-900">
            The secret of the webhook to {created.url}: copy it into your receiver now, it is not shown again
          </label>
          <div className="flex gap-2">
            <input id={`${id}-new-secret`} readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} className={`${inputClass} min-w-0 font-mono`} data-testid="new-webhook-secret" />
            <Button
              onClick={() => {
                void navigator.clipboard?.writeText(created.secret).then(
                  () => setCopied(true),
                  () => setCopied(false),
                );
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </div>
      ) : null}

      <div className="rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
        <h3 className="border-b border-slate-200 px-5 py-3 font-semibold text-slate-900">This board’s webhooks</h3>
        {webhooks.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-600" data-testid="no-webhooks">
            No webhooks yet. Add one above to tell a pipeline, a chat or a dashboard what happens on this board.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="webhook-list">
            {webhooks.map((w) => (
              <WebhookRow key={w.id} base={base} webhook={w} onChanged={replace} onRemoved={(list) => setWebhooks(list)} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function WebhookRow({ base, webhook, onChanged, onRemoved }: { base: string; webhook: WebhookDTO; onChanged(w: WebhookDTO): void; onRemoved(list: WebhookDTO[]): void }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [log, setLog] = useState<DeliveryDTO[] | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const path = `${base}/${webhook.id}`;

  const loadLog = async () => {
    const result = await apiCall<{ deliveries: DeliveryDTO[] }>('GET', `${path}/deliveries`);
    if (!result.ok) return setError(result.message);
    setLog(result.data.deliveries);
  };

  const setEnabled = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    const result = await apiCall<{ webhook: WebhookDTO }>('PATCH', path, { enabled });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    onChanged(result.data.webhook);
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    const result = await apiCall<{ webhooks: WebhookDTO[] }>('DELETE', path);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    onRemoved(result.data.webhooks);
  };

  const redeliver = async (delivery: DeliveryDTO) => {
    setError(null);
    const result = await apiCall<{ delivery: DeliveryDTO }>('POST', `${path}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`);
    if (!result.ok) return setError(result.message);
    setLog((list) => (list ?? []).map((d) => (d.id === delivery.id ? result.data.delivery : d)));
  };

  const state = webhook.enabled ? 'On' : webhook.disabledReason ? 'Off: kept failing' : 'Off';
  return (
    <li className="space-y-3 px-5 py-4" data-testid="webhook-row">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 basis-full space-y-1 sm:basis-0 sm:flex-1">
          <p className="break-all font-mono text-sm text-slate-900" data-testid="webhook-url">
            {webhook.url}
          </p>
          <p className="text-sm text-slate-600">
            <span className={`mr-1 rounded-full px-2 py-0.5 text-xs font-medium ${webhook.enabled ? 'bg-emerald-100 text-emerald-900' : 'bg-rose-100 text-rose-900'}`} data-testid="webhook-state">
              {state}
            </span>
            secret <code className="text-xs">{webhook.secretHint}</code> · {webhook.eventTypes.map((t) => EVENT_LABEL[t]).join(', ')}
            {webhook.pending > 0 ? ` · ${webhook.pending} waiting` : ''}
            {webhook.consecutiveFailures > 0 ? ` · ${webhook.consecutiveFailures} failed attempts in a row` : ''}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            aria-expanded={logOpen}
            aria-controls={`${id}-log`}
            onClick={() => {
              setLogOpen((o) => !o);
              if (!logOpen) void loadLog();
            }}
            data-testid="toggle-log"
          >
            {logOpen ? 'Hide deliveries' : 'Deliveries'}
          </Button>
          <Button disabled={busy} onClick={() => void setEnabled(!webhook.enabled)} data-testid="toggle-enabled">
            {webhook.enabled ? 'Turn off' : 'Turn on'}
          </Button>
          {confirmRemove ? null : (
            <Button variant="dangerGhost" disabled={busy} onClick={() => setConfirmRemove(true)} data-testid="remove-webhook">
              Remove
            </Button>
          )}
        </div>
      </div>
      {confirmRemove ? (
        <div className="flex flex-wrap items-center gap-3 rounded-xl bg-rose-50 p-3 text-sm text-rose-900 ring-1 ring-rose-200" role="group" aria-label="Confirm removal">
          <p className="flex-1">Remove this webhook and its delivery log? Deliveries still waiting are not sent.</p>
          <Button variant="danger" disabled={busy} onClick={() => void remove()} data-testid="remove-webhook-confirm" autoFocus>
            Remove webhook
          </Button>
          <Button onClick={() => setConfirmRemove(false)}>Keep it</Button>
        </div>
      ) : null}
      <FormError message={error} />
      {logOpen ? (
        <div id={`${id}-log`} className="space-y-2">
          <div className="flex items-center gap-3">
            <h4 className="text-sm font-semibold text-slate-800">Latest deliveries</h4>
            <Button variant="ghost" onClick={() => void loadLog()} data-testid="refresh-log">
              Refresh
            </Button>
          </div>
          {log === null ? (
            <p className="text-sm text-slate-600">Loading…</p>
          ) : log.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="no-deliveries">
              Nothing sent yet: deliveries appear here after the next change of a chosen type.
            </p>
          ) : (
            <div className="relative overflow-x-auto rounded-xl ring-1 ring-slate-200">
              {/* relative: the header's screen-reader-only text stays inside this scrolling box, not past the page's edge. */}
              <table className="w-full text-left text-sm" data-testid="delivery-log">
                <caption className="sr-only">Deliveries of the webhook to {webhook.url}, newest first</caption>
                <thead className="bg-slate-50 text-xs text-slate-700">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">Event</th>
                    <th scope="col" className="px-3 py-2 font-medium">Status</th>
                    <th scope="col" className="px-3 py-2 font-medium">Attempts</th>
                    <th scope="col" className="px-3 py-2 font-medium">Response</th>
                    <th scope="col" className="px-3 py-2 font-medium">Time</th>
                    <th scope="col" className="px-3 py-2 font-medium">Last error</th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {log.map((d) => (
                    <tr key={d.id} data-testid="delivery-row">
                      <td className="px-3 py-2">
                        <span className="font-medium text-slate-900">{EVENT_LABEL[d.eventType as WebhookEventType] ?? d.eventType}</span>
                        <span className="block text-xs text-slate-600">
                          v{d.eventVersion} · {when(d.createdAt)}
                        </span>
                        <code className="block text-xs break-all text-slate-600">{d.id}</code>
                      </td>
                      <td className="px-3 py-2">
                        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[d.status]}`} data-testid="delivery-status">
                          {STATUS_LABEL[d.status]}
                        </span>
                        {d.status === 'pending' && d.nextAttemptAt ? <span className="block text-xs text-slate-600">next {when(d.nextAttemptAt)}</span> : null}
                      </td>
                      <td className="px-3 py-2 tabular-nums">{d.attempts}</td>
                      <td className="px-3 py-2 tabular-nums">{d.lastStatusCode ?? '—'}</td>
                      <td className="px-3 py-2 whitespace-nowrap tabular-nums">{d.lastDurationMs === null ? '—' : `${d.lastDurationMs} ms`}</td>
                      <td className="max-w-64 px-3 py-2 break-words text-slate-700">{d.lastError ?? '—'}</td>
                      <td className="px-3 py-2">
                        <Button variant="ghost" disabled={!webhook.enabled} onClick={() => void redeliver(d)} aria-label={`Redeliver ${d.id}`} data-testid="redeliver">
                          Redeliver
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </li>
  );
}
