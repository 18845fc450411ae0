'use client';
import { useId, useState, type FormEvent } from 'react';
import { apiCall } from '../../lib/client/api';
import { CARD_TYPES, type CardType, type ColumnDTO, type LaneDTO } from '../../lib/shared/domain/types';
import {
  ENVIRONMENT_HAPPENINGS,
  HAPPENING_LABELS,
  HAPPENINGS,
  HOOK_PROVIDERS,
  PROVIDER_NAMES,
  type HookLogEntry,
  type HookProvider,
  type HookRule,
  type InboundHookDTO,
} from '../../lib/shared/hooks';
import { LIMITS } from '../../lib/shared/domain/limits';
import { Button } from '../ui/Button';
import { Field, FormError, inputClass } from '../ui/Field';
import { Modal } from '../ui/Modal';

interface InboundHooksProps {
  boardId: string;
  keyPrefix: string;
  columns: ColumnDTO[];
  lanes: LaneDTO[];
  initialHooks: InboundHookDTO[];
  initialRules: HookRule[];
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const selectClass =
  'rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-xs focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30';
const MAPPED_PROVIDERS = ['github', 'gitlab', 'alertmanager'] as const;

/** One editable line per happening: where its cards go ('' = nowhere), and the environment a deployment must name. */
type Draft = Record<string, { workCenterId: string; environment: string; laneId: string; cardType: CardType }>;
const draftKey = (provider: string, happening: string) => `${provider}:${happening}`;

function draftOf(rules: readonly HookRule[]): Draft {
  const draft: Draft = {};
  for (const r of rules) {
    const key = draftKey(r.provider, r.happening);
    // The editor shows one rule per happening (the API takes several, per environment): the first.
    draft[key] ??= { workCenterId: r.workCenterId, environment: r.environment ?? '', laneId: r.laneId ?? '', cardType: r.cardType ?? 'incident' };
  }
  return draft;
}

function rulesOf(draft: Draft): HookRule[] {
  const rules: HookRule[] = [];
  for (const provider of MAPPED_PROVIDERS) {
    for (const happening of HAPPENINGS[provider]) {
      const line = draft[draftKey(provider, happening)];
      if (!line?.workCenterId) continue;
      const rule: HookRule = { provider, happening, workCenterId: line.workCenterId };
      if (ENVIRONMENT_HAPPENINGS.has(happening) && line.environment.trim()) rule.environment = line.environment.trim();
      if (happening === 'alert.firing') {
        rule.cardType = line.cardType;
        if (line.laneId) rule.laneId = line.laneId;
      }
      rules.push(rule);
    }
  }
  return rules;
}

const outcomeText = (e: HookLogEntry) => (e.outcome === 'refused' && e.code ? `refused ${e.code}` : e.outcome);
const OUTCOME_CLASS: Record<string, string> = {
  moved: 'bg-emerald-100 text-emerald-900',
  created: 'bg-emerald-100 text-emerald-900',
  noted: 'bg-sky-100 text-sky-900',
  refused: 'bg-amber-100 text-amber-950',
  ignored: 'bg-slate-100 text-slate-800',
  duplicate: 'bg-slate-100 text-slate-800',
  unauthorized: 'bg-rose-100 text-rose-900',
  invalid: 'bg-rose-100 text-rose-900',
  failed: 'bg-rose-100 text-rose-900',
};

/** Copies a text and says so where a screen reader hears it. */
function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      data-testid={testId}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {label}
      <span aria-live="polite" className={copied ? '' : 'sr-only'}>
        {copied ? ' ✓ copied' : ''}
      </span>
    </Button>
  );
}

/**
 * The board's inbound hooks (docs/integrations.md): each is an endpoint with its own secret that the
 * pipeline or the monitoring posts to; the mapping says which happening moves cards where; each hook's
 * log says what arrived and what it did. Board admins only.
 */
export function InboundHooks({ boardId, keyPrefix, columns, lanes, initialHooks, initialRules }: InboundHooksProps) {
  const ids = { name: useId(), provider: useId(), mapping: useId(), log: useId() };
  const base = `/api/boards/${encodeURIComponent(boardId)}`;
  const [hooks, setHooks] = useState(initialHooks);
  const [draft, setDraft] = useState<Draft>(() => draftOf(initialRules));
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<HookProvider>('github');
  const [error, setError] = useState<string | null>(null);
  const [mappingNotice, setMappingNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [revealed, setRevealed] = useState<{ hook: InboundHookDTO; secret: string; rotated: boolean } | null>(null);
  const [confirm, setConfirm] = useState<{ kind: 'delete' | 'rotate'; hook: InboundHookDTO } | null>(null);
  const [logHook, setLogHook] = useState<InboundHookDTO | null>(null);
  const [log, setLog] = useState<HookLogEntry[] | null>(null);
  const [logError, setLogError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await apiCall<{ hook: InboundHookDTO; secret: string }>('POST', `${base}/hooks`, { name, provider });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setHooks((h) => [...h, result.data.hook]);
    setRevealed({ ...result.data, rotated: false });
    setName('');
  };

  const showLog = async (hook: InboundHookDTO) => {
    setLogHook(hook);
    setLogError(null);
    const result = await apiCall<{ entries: HookLogEntry[] }>('GET', `${base}/hooks/${hook.id}/log`);
    if (!result.ok) return setLogError(result.message);
    setLog(result.data.entries);
  };

  const confirmed = async () => {
    if (!confirm) return;
    const { kind, hook } = confirm;
    setConfirm(null);
    if (kind === 'rotate') {
      const result = await apiCall<{ hook: InboundHookDTO; secret: string }>('POST', `${base}/hooks/${hook.id}/rotate`);
      if (!result.ok) return setError(result.message);
      setRevealed({ ...result.data, rotated: true });
      return;
    }
    const result = await apiCall<{ hooks: InboundHookDTO[] }>('DELETE', `${base}/hooks/${hook.id}`);
    if (!result.ok) return setError(result.message);
    setHooks(result.data.hooks);
    if (logHook?.id === hook.id) {
      setLogHook(null);
      setLog(null);
    }
  };

  const saveMapping = async (e: FormEvent) => {
    e.preventDefault();
    setMappingNotice(null);
    const result = await apiCall<{ rules: HookRule[] }>('PATCH', `${base}/hook-mapping`, { rules: rulesOf(draft) });
    setMappingNotice(result.ok ? { ok: true, text: `Mapping saved: ${result.data.rules.length} rule${result.data.rules.length === 1 ? '' : 's'}` } : { ok: false, text: result.message });
  };

  const setLine = (key: string, change: Partial<Draft[string]>) =>
    setDraft((d) => ({ ...d, [key]: { workCenterId: '', environment: '', laneId: '', cardType: 'incident' as CardType, ...d[key], ...change } }));

  return (
    <div className="space-y-8" data-testid="inbound-hooks">
      <section aria-labelledby={`${ids.name}-h`} className="space-y-4">
        <h2 id={`${ids.name}-h`} className="text-lg font-semibold text-slate-900">
          Inbound hooks
        </h2>
        <p className="text-sm text-slate-700">
          Your pipeline and monitoring post to a hook; cards named by their key ({keyPrefix}-42) in a pull request&apos;s title or branch, or a commit message,
          move as the mapping below says, under the same WIP limits as people. Each hook has its own secret.
        </p>
        {hooks.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700" data-testid="hooks-empty">
            No hooks yet. Make one for each tool that should move cards: GitHub, GitLab, Alertmanager or a script.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="hook-list">
            {hooks.map((hook) => (
              <li key={hook.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid={`hook-${hook.id}`}>
                {/* On a phone the name and URL take the whole line, the buttons wrap below it. */}
                <div className="min-w-0 basis-full sm:basis-0 sm:flex-1">
                  <p className="font-medium text-slate-900">{hook.name}</p>
                  <p className="text-xs text-slate-600">
                    {PROVIDER_NAMES[hook.provider]} · <code className="break-all">{`${origin}${hook.path}`}</code>
                  </p>
                </div>
                <CopyButton text={`${origin}${hook.path}`} label="Copy URL" />
                <Button onClick={() => void showLog(hook)} aria-controls={ids.log} data-testid={`hook-log-${hook.id}`}>
                  Log
                </Button>
                <Button onClick={() => setConfirm({ kind: 'rotate', hook })}>New secret</Button>
                <Button variant="dangerGhost" onClick={() => setConfirm({ kind: 'delete', hook })} data-testid={`hook-delete-${hook.id}`}>
                  Delete
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={(e) => void create(e)} className="flex flex-wrap items-end gap-3" data-testid="hook-create-form">
          <div className="min-w-48 flex-1">
            <Field label="Hook name (the actor on its moves)" htmlFor={ids.name}>
              <input id={ids.name} value={name} maxLength={LIMITS.actorName} required onChange={(e) => setName(e.target.value)} placeholder="e.g. GitHub CI" className={inputClass} data-testid="hook-name-input" />
            </Field>
          </div>
          <Field label="Sent by" htmlFor={ids.provider}>
            <select id={ids.provider} value={provider} onChange={(e) => setProvider(e.target.value as HookProvider)} className={selectClass} data-testid="hook-provider-select">
              {HOOK_PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {PROVIDER_NAMES[p]}
                </option>
              ))}
            </select>
          </Field>
          <Button type="submit" variant="primary" disabled={busy || name.trim() === ''} data-testid="hook-create">
            Make hook
          </Button>
        </form>
        <FormError message={error} />
      </section>

      <section aria-labelledby={`${ids.mapping}-h`} className="space-y-3">
        <h2 id={`${ids.mapping}-h`} className="text-lg font-semibold text-slate-900">
          Mapping: what moves cards where
        </h2>
        <p className="text-sm text-slate-700">
          A happening left at &quot;Nothing&quot; is logged and ignored. A move to a work center on the left is a backward move: a defect with the pipeline&apos;s reason.
        </p>
        <form onSubmit={(e) => void saveMapping(e)} className="space-y-4" data-testid="mapping-form">
          {MAPPED_PROVIDERS.map((p) => (
            <fieldset key={p} className="rounded-lg border border-slate-200 bg-white p-4">
              <legend className="px-1 text-sm font-semibold text-slate-900">{PROVIDER_NAMES[p]}</legend>
              <div className="space-y-2">
                {HAPPENINGS[p].map((happening) => {
                  const key = draftKey(p, happening);
                  const line = draft[key];
                  const selectId = `${ids.mapping}-${key}`;
                  return (
                    <div key={key} className="flex flex-wrap items-center gap-2">
                      <label htmlFor={selectId} className="min-w-56 flex-1 text-sm text-slate-800">
                        {HAPPENING_LABELS[happening] ?? happening} <span className="text-xs text-slate-600">({happening})</span>
                      </label>
                      <select id={selectId} value={line?.workCenterId ?? ''} onChange={(e) => setLine(key, { workCenterId: e.target.value })} className={selectClass} data-testid={`mapping-${key}`}>
                        <option value="">Nothing</option>
                        {columns.map((c) => (
                          <option key={c.id} value={c.id}>
                            {happening === 'alert.firing' ? `Create in ${c.name}` : `Move to ${c.name}`}
                          </option>
                        ))}
                      </select>
                      {ENVIRONMENT_HAPPENINGS.has(happening) ? (
                        <div className="w-44">
                          <input
                            aria-label={`Environment for ${HAPPENING_LABELS[happening] ?? happening} (${PROVIDER_NAMES[p]}); empty: any`}
                            value={line?.environment ?? ''}
                            maxLength={100}
                            placeholder="any environment"
                            onChange={(e) => setLine(key, { environment: e.target.value })}
                            className={inputClass}
                          />
                        </div>
                      ) : null}
                      {happening === 'alert.firing' ? (
                        <>
                          <select aria-label="Type of the card an alert creates" value={line?.cardType ?? 'incident'} onChange={(e) => setLine(key, { cardType: e.target.value as CardType })} className={selectClass}>
                            {CARD_TYPES.map((t) => (
                              <option key={t} value={t}>
                                {t}
                              </option>
                            ))}
                          </select>
                          <select aria-label="Lane of the card an alert creates" value={line?.laneId ?? ''} onChange={(e) => setLine(key, { laneId: e.target.value })} className={selectClass}>
                            <option value="">Expedite lane if any</option>
                            {lanes.map((l) => (
                              <option key={l.id} value={l.id}>
                                {l.name} lane
                              </option>
                            ))}
                          </select>
                        </>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
          <div className="flex items-center gap-3">
            <Button type="submit" variant="primary" data-testid="mapping-save">
              Save mapping
            </Button>
            <p role="status" className={`text-sm ${mappingNotice?.ok === false ? 'text-rose-700' : 'text-slate-700'}`} data-testid="mapping-status">
              {mappingNotice?.text ?? ''}
            </p>
          </div>
        </form>
      </section>

      <section id={ids.log} aria-labelledby={`${ids.log}-h`} className="space-y-3">
        <h2 id={`${ids.log}-h`} className="text-lg font-semibold text-slate-900">
          {logHook ? `Log of ${logHook.name}` : 'Hook log'}
        </h2>
        {logHook === null ? (
          <p className="text-sm text-slate-700">Choose a hook&apos;s Log to see what arrived and what it did, newest first.</p>
        ) : logError ? (
          <FormError message={logError} />
        ) : log === null ? (
          <p className="text-sm text-slate-700">Loading…</p>
        ) : log.length === 0 ? (
          <p className="text-sm text-slate-700" data-testid="hook-log-empty">
            Nothing has arrived yet.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm" data-testid="hook-log-table">
              <caption className="sr-only">What arrived at {logHook.name} and what it did, newest first</caption>
              <thead className="bg-slate-50 text-xs text-slate-700 uppercase">
                <tr>
                  <th scope="col" className="px-3 py-2">Time</th>
                  <th scope="col" className="px-3 py-2">Provider</th>
                  <th scope="col" className="px-3 py-2">Happening</th>
                  <th scope="col" className="px-3 py-2">Card</th>
                  <th scope="col" className="px-3 py-2">Outcome</th>
                  <th scope="col" className="px-3 py-2">Why</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {log.map((e) => (
                  <tr key={e.seq}>
                    <td className="px-3 py-2 whitespace-nowrap text-slate-700">{timeFormat.format(new Date(e.at))}</td>
                    <td className="px-3 py-2 text-slate-800">{e.provider in PROVIDER_NAMES ? PROVIDER_NAMES[e.provider as HookProvider] : e.provider}</td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-800">{e.happening ?? '—'}</td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-800">{e.cardKey ?? '—'}</td>
                    <td className="px-3 py-2">
                      <span className={`rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${OUTCOME_CLASS[e.outcome] ?? ''}`}>{outcomeText(e)}</span>
                    </td>
                    <td className="px-3 py-2 text-slate-800">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {logHook ? <Button onClick={() => void showLog(logHook)}>Refresh log</Button> : null}
      </section>

      {revealed ? (
        <Modal title={revealed.rotated ? `New secret for ${revealed.hook.name}` : `${revealed.hook.name} is ready`} onClose={() => setRevealed(null)} testId="hook-secret-dialog" size="md">
          <div className="space-y-4 text-sm text-slate-800">
            <p>
              Copy the secret now: it is not shown again. {revealed.rotated ? 'The old secret stopped working.' : ''}
            </p>
            <div className="space-y-1">
              <p className="font-medium">URL</p>
              <code className="block rounded bg-slate-100 p-2 break-all" data-testid="hook-url">{`${origin}${revealed.hook.path}`}</code>
              <CopyButton text={`${origin}${revealed.hook.path}`} label="Copy URL" />
            </div>
            <div className="space-y-1">
              <p className="font-medium">Secret</p>
              <code className="block rounded bg-slate-100 p-2 break-all" data-testid="hook-secret">
                {revealed.secret}
              </code>
              <CopyButton text={revealed.secret} label="Copy secret" />
            </div>
            <p className="text-slate-700">
              GitHub: the webhook&apos;s Secret (content type application/json). GitLab: the Secret token. Alertmanager and scripts: <code>Authorization: Bearer &lt;secret&gt;</code>.
            </p>
            <div className="flex justify-end">
              <Button variant="primary" onClick={() => setRevealed(null)} data-testid="hook-secret-done">
                I have copied it
              </Button>
            </div>
          </div>
        </Modal>
      ) : null}

      {confirm ? (
        <Modal title={confirm.kind === 'delete' ? `Delete ${confirm.hook.name}?` : `New secret for ${confirm.hook.name}?`} onClose={() => setConfirm(null)} testId="hook-confirm-dialog">
          <p className="text-sm text-slate-800">
            {confirm.kind === 'delete'
              ? 'Deliveries to its URL will be refused and its log is deleted. The cards it moved stay where they are.'
              : 'The current secret stops working at once: deliveries signed with it are refused until the tool has the new one.'}
          </p>
          <div className="mt-4 flex justify-end gap-2">
            <Button onClick={() => setConfirm(null)} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void confirmed()} data-testid="hook-confirm">
              {confirm.kind === 'delete' ? 'Delete hook' : 'Make a new secret'}
            </Button>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}
