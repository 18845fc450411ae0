/**
 * Deliveries read into happenings: what the pipeline or the monitoring says happened, with the text
 * that may name cards (a pull request's title and branch, commit messages) and, for a failure, the
 * pipeline's own reason. Only the fields named here are read; anything else in a payload is ignored,
 * and a payload without them is ignored with the reason in the hook's log, never an error.
 */
import type { CardType } from '../../shared/domain/types';
import type { HookProvider } from '../../shared/hooks';

export type Happening =
  | {
      kind: 'pipeline';
      provider: 'github' | 'gitlab';
      happening: string;
      /** Where cards may be named: title, branch, commit messages. */
      text: string;
      environment: string | null;
      /** Why, in the pipeline's words: a backward move's defect. */
      reason: string;
    }
  | { kind: 'alert'; status: 'firing' | 'resolved'; fingerprint: string; title: string; description: string; at: string }
  | { kind: 'move'; card: string; toWorkCenter: string; reason: string | null }
  | { kind: 'create'; title: string; description: string; type: CardType | null; workCenter: string | null; lane: string | null };

/** Nothing to do, and why (for the hook's log). */
export type Reading = { happenings: Happening[] } | { ignored: string; happening?: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const texts = (...parts: unknown[]): string => parts.map(str).filter((s) => s !== '').join('\n');
const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

function github(event: string, body: Obj): Reading {
  const repo = str(obj(body.repository).full_name);
  if (event === 'ping') return { ignored: 'GitHub says hello (ping): the hook is reachable', happening: 'ping' };
  if (event === 'pull_request') {
    const pr = obj(body.pull_request);
    const action = str(body.action);
    const happening =
      action === 'opened' || action === 'reopened' ? 'pull_request.opened' : action === 'closed' ? (pr.merged === true ? 'pull_request.merged' : 'pull_request.closed') : null;
    if (!happening) return { ignored: `pull_request ${action || 'without an action'} is not mapped`, happening: `pull_request.${action}` };
    const text = texts(pr.title, obj(pr.head).ref);
    return { happenings: [{ kind: 'pipeline', provider: 'github', happening, text, environment: null, reason: `pull request #${str(pr.number)} ${happening.split('.')[1]} in ${repo}` }] };
  }
  if (event === 'push') {
    const commits = Array.isArray(body.commits) ? body.commits.slice(0, 100) : [];
    const text = texts(body.ref, ...commits.map((c) => obj(c).message), obj(body.head_commit).message);
    return { happenings: [{ kind: 'pipeline', provider: 'github', happening: 'push', text, environment: null, reason: `push to ${str(body.ref)} in ${repo}` }] };
  }
  if (event === 'workflow_run') {
    const run = obj(body.workflow_run);
    if (str(body.action) !== 'completed') return { ignored: `workflow_run ${str(body.action)}: only completed runs are read`, happening: `workflow_run.${str(body.action)}` };
    const conclusion = str(run.conclusion);
    if (conclusion !== 'success' && conclusion !== 'failure') return { ignored: `workflow run ended ${conclusion || 'without a conclusion'}: only success and failure are mapped`, happening: `workflow_run.${conclusion}` };
    const happening = `workflow_run.${conclusion}`;
    const text = texts(run.head_branch, run.display_title, obj(run.head_commit).message);
    const reason = `workflow '${str(run.name)}' ${conclusion === 'failure' ? 'failed' : 'succeeded'} on ${str(run.head_branch)} (run ${str(run.run_number) || str(run.id)})`;
    return { happenings: [{ kind: 'pipeline', provider: 'github', happening, text, environment: null, reason }] };
  }
  if (event === 'deployment_status') {
    const status = obj(body.deployment_status);
    const deployment = obj(body.deployment);
    const state = str(status.state);
    if (state !== 'success' && state !== 'failure') return { ignored: `deployment ${state || 'without a state'}: only success and failure are mapped`, happening: `deployment_status.${state}` };
    const environment = str(status.environment) || str(deployment.environment) || null;
    const text = texts(deployment.ref, deployment.description, status.description);
    const reason = `deployment to ${environment ?? 'an environment'} ${state === 'failure' ? 'failed' : 'succeeded'} (${str(deployment.ref)})`;
    return { happenings: [{ kind: 'pipeline', provider: 'github', happening: `deployment_status.${state}`, text, environment, reason }] };
  }
  return { ignored: `GitHub event ${event} is not read by Flowboard`, happening: event };
}

function gitlab(event: string, body: Obj): Reading {
  const kind = str(body.object_kind) || event;
  const attrs = obj(body.object_attributes);
  const project = str(obj(body.project).path_with_namespace);
  if (kind === 'merge_request') {
    const action = str(attrs.action);
    const happening = action === 'open' || action === 'reopen' ? 'merge_request.opened' : action === 'merge' ? 'merge_request.merged' : action === 'close' ? 'merge_request.closed' : null;
    if (!happening) return { ignored: `merge request ${action || 'without an action'} is not mapped`, happening: `merge_request.${action}` };
    const text = texts(attrs.title, attrs.source_branch);
    return { happenings: [{ kind: 'pipeline', provider: 'gitlab', happening, text, environment: null, reason: `merge request !${str(attrs.iid)} ${happening.split('.')[1]} in ${project}` }] };
  }
  if (kind === 'push') {
    const commits = Array.isArray(body.commits) ? body.commits.slice(0, 100) : [];
    const text = texts(body.ref, ...commits.map((c) => obj(c).message));
    return { happenings: [{ kind: 'pipeline', provider: 'gitlab', happening: 'push', text, environment: null, reason: `push to ${str(body.ref)} in ${project}` }] };
  }
  if (kind === 'pipeline') {
    const status = str(attrs.status);
    if (status !== 'success' && status !== 'failed') return { ignored: `pipeline ${status || 'without a status'}: only success and failed are mapped`, happening: `pipeline.${status}` };
    const happening = status === 'success' ? 'pipeline.success' : 'pipeline.failure';
    const text = texts(attrs.ref, obj(body.commit).message, obj(body.merge_request).title, obj(body.merge_request).source_branch);
    const reason = `pipeline ${str(attrs.id)} ${status === 'failed' ? 'failed' : 'succeeded'} on ${str(attrs.ref)} in ${project}`;
    return { happenings: [{ kind: 'pipeline', provider: 'gitlab', happening, text, environment: null, reason }] };
  }
  if (kind === 'deployment') {
    const status = str(body.status);
    if (status !== 'success' && status !== 'failed') return { ignored: `deployment ${status || 'without a status'}: only success and failed are mapped`, happening: `deployment.${status}` };
    const environment = str(body.environment) || null;
    const text = texts(body.ref, body.commit_title);
    const reason = `deployment ${str(body.deployment_id)} to ${environment ?? 'an environment'} ${status === 'failed' ? 'failed' : 'succeeded'} (${str(body.ref)})`;
    return { happenings: [{ kind: 'pipeline', provider: 'gitlab', happening: `deployment.${status}`, text, environment, reason }] };
  }
  return { ignored: `GitLab event ${event || kind} is not read by Flowboard`, happening: kind };
}

/** Alertmanager's webhook payload, version 4: one happening per alert of the group. */
function alertmanager(body: Obj): Reading {
  if (str(body.version) !== '4') return { ignored: `Alertmanager payload version ${str(body.version) || 'missing'}: version 4 is read` };
  const alerts = Array.isArray(body.alerts) ? body.alerts.slice(0, 200) : [];
  const happenings: Happening[] = [];
  for (const raw of alerts) {
    const alert = obj(raw);
    const labels = obj(alert.labels);
    const annotations = obj(alert.annotations);
    const status = str(alert.status);
    const fingerprint = str(alert.fingerprint).slice(0, 200);
    if ((status !== 'firing' && status !== 'resolved') || fingerprint === '') continue;
    const name = str(labels.alertname) || 'Alert';
    const summary = str(annotations.summary);
    const title = (summary ? `${name}: ${summary}` : name).slice(0, 200);
    const description = texts(annotations.description, str(alert.generatorURL) && `Source: ${str(alert.generatorURL)}`, `Labels: ${Object.entries(labels).map(([k, v]) => `${k}=${str(v)}`).join(', ')}`, `Fingerprint: ${fingerprint}`);
    happenings.push({ kind: 'alert', status, fingerprint, title, description: description.slice(0, 4000), at: str(status === 'resolved' ? alert.endsAt : alert.startsAt) });
  }
  if (happenings.length === 0) return { ignored: 'No alert with a status and a fingerprint' };
  return { happenings };
}

/** Our own small format: `{ card, toWorkCenter, reason? }` or `{ create: { title, type?, workCenter?, lane?, description? } }`. */
function generic(body: Obj): Reading {
  if (body.create !== undefined) {
    const c = obj(body.create);
    const title = str(c.title).trim();
    if (!title) return { ignored: 'create needs a title' };
    const type = str(c.type) || null;
    return {
      happenings: [{ kind: 'create', title: title.slice(0, 200), description: str(c.description).slice(0, 10_000), type: type as CardType | null, workCenter: str(c.workCenter) || null, lane: str(c.lane) || null }],
    };
  }
  const card = str(body.card).trim();
  const toWorkCenter = str(body.toWorkCenter).trim();
  if (!card || !toWorkCenter) return { ignored: 'Send { card, toWorkCenter, reason } or { create: { title } }' };
  return { happenings: [{ kind: 'move', card, toWorkCenter, reason: str(body.reason).trim().slice(0, 500) || null }] };
}

/**
 * The provider a delivery comes from (its headers, else its body: Alertmanager's has `version` "4" and
 * `alerts`), and what it says happened.
 */
export function readDelivery(headers: Record<string, string | string[] | undefined>, body: Obj): { provider: HookProvider; reading: Reading } {
  const githubEvent = header(headers, 'x-github-event');
  if (githubEvent) return { provider: 'github', reading: github(githubEvent, body) };
  const gitlabEvent = header(headers, 'x-gitlab-event');
  if (gitlabEvent) return { provider: 'gitlab', reading: gitlab(gitlabEvent, body) };
  if (body.version !== undefined && Array.isArray(body.alerts)) return { provider: 'alertmanager', reading: alertmanager(body) };
  return { provider: 'generic', reading: generic(body) };
}

/** The provider from the headers alone, to choose how the delivery proves who sent it (before the body is trusted). */
export function claimedProvider(headers: Record<string, string | string[] | undefined>): 'github' | 'gitlab' | 'bearer' {
  if (header(headers, 'x-github-event')) return 'github';
  if (header(headers, 'x-gitlab-event')) return 'gitlab';
  return 'bearer';
}
