/**
 * Inbound hooks on the real server: deliveries from fixtures written after each provider's documented
 * payloads (tests/fixtures/hooks), posted over HTTP with their signatures, move the cards they name
 * through the same rules as people's moves; the log says what each did.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BoardEvent, CardDTO } from '../../lib/shared/domain/types';
import type { HookLogEntry, HookRule, InboundHookDTO } from '../../lib/shared/hooks';
import { signatureOf } from '../../lib/server/hooks/verify';
import { expectOk, fold, startTestServer, type SeededBoard } from './helpers';

const h = startTestServer();

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/hooks', name), 'utf8');

interface Made {
  hook: InboundHookDTO;
  secret: string;
}

async function makeHook(boardId: string, name: string, provider: string): Promise<Made> {
  const res = await h.api<Made>('POST', `/api/boards/${boardId}/hooks`, { body: { name, provider } });
  expect(res.status).toBe(201);
  return res.body;
}

async function setRules(boardId: string, rules: HookRule[]) {
  const res = await h.api<{ rules: HookRule[] }>('PATCH', `/api/boards/${boardId}/hook-mapping`, { body: { rules } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

type HookAnswer = { ok?: boolean; outcome?: string; results?: { outcome: string; cardKey: string | null; code: string | null; message: string }[]; error?: { code: string; message: string } };

let deliveries = 0;
/** Posts a raw body to the hook with the headers given; GitHub's signature is made from `secret` unless a header says otherwise. */
async function post(hook: Made, body: string, headers: Record<string, string>) {
  const res = await fetch(`${h.url}${hook.hook.path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as HookAnswer };
}
const github = (hook: Made, event: string, body: string, extra: Record<string, string> = {}) =>
  post(hook, body, { 'x-github-event': event, 'x-github-delivery': `d-${++deliveries}`, 'x-hub-signature-256': signatureOf(hook.secret, body), ...extra });
const gitlab = (hook: Made, event: string, body: string, token = hook.secret) => post(hook, body, { 'x-gitlab-event': event, 'x-gitlab-token': token, 'idempotency-key': `g-${++deliveries}` });
const bearer = (hook: Made, body: string, token = hook.secret) => post(hook, body, { authorization: `Bearer ${token}` });

const logOf = async (boardId: string, hook: Made) => (await h.api<{ entries: HookLogEntry[] }>('GET', `/api/boards/${boardId}/hooks/${hook.hook.id}/log`)).body.entries;
const cardOf = async (boardId: string, id: string) => (await h.app.store.getSnapshot(boardId)).cards.find((c) => c.id === id) as CardDTO;

/** Payments: Concept, Develop, Test (limit 1), Deploy, Operate, Done; cards PAY-1.. in Concept. */
async function payments(cards = 3): Promise<{ board: SeededBoard; made: CardDTO[] }> {
  const board = await h.seedBoard(
    [{ name: 'Concept' }, { name: 'Develop', wipLimit: 5 }, { name: 'Test', wipLimit: 1 }, { name: 'Deploy' }, { name: 'Operate' }, { name: 'Done' }],
    'Payments',
  );
  return { board, made: await board.addCards('Concept', cards) };
}

const githubRules = (board: SeededBoard): HookRule[] => [
  { provider: 'github', happening: 'pull_request.opened', workCenterId: board.col('Develop') },
  { provider: 'github', happening: 'pull_request.merged', workCenterId: board.col('Test') },
  { provider: 'github', happening: 'workflow_run.failure', workCenterId: board.col('Develop') },
  { provider: 'github', happening: 'deployment_status.success', environment: 'production', workCenterId: board.col('Deploy') },
];

describe('card keys', () => {
  it('cards are numbered per board in creation order and the key is taken wherever a card id is (socket and REST)', async () => {
    const { board, made } = await payments(3);
    expect(made.map((c) => c.number)).toEqual([1, 2, 3]);
    expect((await h.app.store.getSnapshot(board.id)).keyPrefix).toBe('PAY');
    const viewer = await h.connect('key viewer');
    await viewer.joinSnapshot(board.id);
    const mover = await h.connect('key mover');
    const ack = expectOk(await mover.request('card:move', { cardId: 'PAY-2', toColumnId: board.col('Develop') }));
    expect(ack.card.id).toBe(made[1]?.id);
    const seen = await viewer.events.find('PAY-2 moved', (e) => e.type === 'card_moved' && e.cardId === made[1]?.id);
    expect(seen.type).toBe('card_moved');
    const rest = await h.api<{ card: CardDTO }>('POST', '/api/cards/pay-3/move', { body: { toColumnId: board.col('Develop'), beforeCardId: 'PAY-2' } });
    expect(rest.status).toBe(200);
    expect(rest.body.card.id).toBe(made[2]?.id);
    const history = await h.api<{ history: unknown[] }>('GET', '/api/cards/PAY-3/history');
    expect(history.status).toBe(200);
    expect(history.body.history).toHaveLength(2);
    // A deleted card keeps its number: the next card does not reuse it.
    expectOk(await mover.request('card:delete', { cardId: 'PAY-3' }));
    const [next] = await board.addCards('Concept', 1, 'after delete');
    expect(next?.number).toBe(4);
    expect((await h.api('POST', '/api/cards/PAY-3/move', { body: { toColumnId: board.col('Test') } })).status).toBe(404);
  });

  it('the key prefix is an admin setting: keys read with the new prefix, the numbers stay, and the change is an event', async () => {
    const { board, made } = await payments(1);
    const viewer = await h.connect('prefix viewer');
    const start = await viewer.joinSnapshot(board.id);
    const bad = await h.api<{ error: { code: string } }>('PATCH', `/api/boards/${board.id}/settings`, { body: { keyPrefix: '1PAY' } });
    expect(bad.status).toBe(400);
    const res = await h.api('PATCH', `/api/boards/${board.id}/settings`, { body: { keyPrefix: 'paym' } });
    expect(res.status).toBe(200);
    const event = await viewer.events.find('key_prefix_set', (e) => e.type === 'key_prefix_set');
    expect(event).toMatchObject({ type: 'key_prefix_set', keyPrefix: 'PAYM' });
    expect(fold(start, [event]).keyPrefix).toBe('PAYM');
    expect((await h.api('POST', '/api/cards/PAYM-1/move', { body: { toColumnId: board.col('Develop') } })).status).toBe(200);
    expect((await h.api('POST', '/api/cards/PAY-1/move', { body: { toColumnId: board.col('Test') } })).status).toBe(404);
    // A rename keeps the prefix.
    expect((await h.api('PATCH', `/api/boards/${board.id}`, { body: { name: 'Billing' } })).status).toBe(200);
    expect((await h.app.store.getSnapshot(board.id)).keyPrefix).toBe('PAYM');
    expect((await cardOf(board.id, made[0]?.id ?? '')).columnId).toBe(board.col('Develop'));
  });

  it('a key that names cards on two of the asker\'s boards is refused, not guessed', async () => {
    await payments(1);
    await payments(1);
    const res = await h.api<{ error: { code: string; message: string } }>('POST', '/api/cards/PAY-1/move', { body: { toColumnId: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/several of your boards/);
  });
});

describe('inbound hooks: GitHub', () => {
  it('a pull request opened, merged and deployed to production moves the card it names through Develop, Test and Deploy, as the hook', async () => {
    const { board, made } = await payments(3);
    await setRules(board.id, githubRules(board));
    const hook = await makeHook(board.id, 'GitHub CI', 'github');
    const viewer = await h.connect('gh viewer');
    await viewer.joinSnapshot(board.id);
    const pay2 = made[1] as CardDTO;

    const opened = await github(hook, 'pull_request', fixture('github-pull_request-opened.json'));
    expect(opened.status).toBe(200);
    expect(opened.body.results).toEqual([{ outcome: 'moved', cardKey: 'PAY-2', code: null, message: 'PAY-2 moved to Develop' }]);
    const move = await viewer.events.find('the hook\'s move', (e) => e.type === 'card_moved' && e.cardId === pay2.id);
    expect(move.actor).toBe('GitHub CI');
    expect(move.actorId ?? null).toBeNull();

    expect((await github(hook, 'pull_request', fixture('github-pull_request-merged.json'))).body.results?.[0]?.outcome).toBe('moved');
    expect((await cardOf(board.id, pay2.id)).columnId).toBe(board.col('Test'));
    const deployed = await github(hook, 'deployment_status', fixture('github-deployment_status-success.json'));
    expect(deployed.body.results?.[0]).toMatchObject({ outcome: 'moved', cardKey: 'PAY-2', message: 'PAY-2 moved to Deploy' });
    // A staging deployment is not the production rule's.
    const staging = fixture('github-deployment_status-success.json').replaceAll('"production"', '"staging"');
    expect((await github(hook, 'deployment_status', staging)).body.results?.[0]?.outcome).toBe('ignored');
    // A push names PAY-3 but no rule takes pushes: ignored, with the reason.
    const push = await github(hook, 'push', fixture('github-push.json'));
    expect(push.body.results?.[0]?.outcome).toBe('ignored');
    expect(push.body.results?.[0]?.message).toMatch(/No rule/);

    const log = await logOf(board.id, hook);
    expect(log.map((l) => l.outcome)).toEqual(['ignored', 'ignored', 'moved', 'moved', 'moved']);
    expect(log[4]).toMatchObject({ provider: 'github', happening: 'pull_request.opened', cardKey: 'PAY-2', outcome: 'moved' });
  });

  it('signatures: a valid one is taken; an invalid or missing one is refused with 401 and changes nothing; a replayed delivery does nothing', async () => {
    const { board, made } = await payments(2);
    await setRules(board.id, githubRules(board));
    const hook = await makeHook(board.id, 'GitHub', 'github');
    const body = fixture('github-pull_request-opened.json');
    const before = await h.app.store.getSnapshot(board.id);

    const forged = await github(hook, 'pull_request', body, { 'x-hub-signature-256': signatureOf('not-the-secret', body) });
    expect(forged.status).toBe(401);
    expect(forged.body.error?.code).toBe('BAD_SIGNATURE');
    // The signature of another body (one byte changed) does not pass for this one.
    const tampered = await github(hook, 'pull_request', body.replace('PAY-2', 'PAY-1'), { 'x-hub-signature-256': signatureOf(hook.secret, body) });
    expect(tampered.status).toBe(401);
    const unsigned = await post(hook, body, { 'x-github-event': 'pull_request', 'x-github-delivery': 'unsigned-1' });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error?.message).toMatch(/No X-Hub-Signature-256/);
    expect(await h.app.store.getSnapshot(board.id)).toStrictEqual(before);

    const delivery = { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' };
    const first = await github(hook, 'pull_request', body, delivery);
    expect(first.body.results?.[0]?.outcome).toBe('moved');
    const version = (await h.app.store.getSnapshot(board.id)).version;
    // Moved back by a person, then the same delivery again: a replay, nothing moves.
    expectOk(await (await h.connect('replay person')).request('card:move', { cardId: made[1]?.id ?? '', toColumnId: board.col('Concept'), reason: 'wrong card' }));
    const replay = await github(hook, 'pull_request', body, delivery);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ ok: true, outcome: 'duplicate' });
    expect((await h.app.store.getSnapshot(board.id)).version).toBe(version + 1);

    const log = await logOf(board.id, hook);
    expect(log.map((l) => l.outcome)).toEqual(['duplicate', 'moved', 'unauthorized', 'unauthorized', 'unauthorized']);
    expect(log.every((l) => !l.message.includes(hook.secret))).toBe(true);
  });

  it('a failed workflow sends the card back to Develop: a defect with the pipeline\'s reason', async () => {
    const { board, made } = await payments(2);
    await setRules(board.id, githubRules(board));
    const hook = await makeHook(board.id, 'GitHub Actions', 'github');
    const pay2 = made[1] as CardDTO;
    await h.app.store.moveCard({ cardId: pay2.id, toColumnId: board.col('Test') }, { name: 'seed' });
    const failed = await github(hook, 'workflow_run', fixture('github-workflow_run-failure.json'));
    expect(failed.body.results?.[0]).toMatchObject({ outcome: 'moved', cardKey: 'PAY-2' });
    const card = await cardOf(board.id, pay2.id);
    expect(card.columnId).toBe(board.col('Develop'));
    expect(card.defectCount).toBe(1);
    const history = await h.app.store.cardHistory(pay2.id);
    expect(history.at(-1)).toMatchObject({ type: 'card_moved', backward: true, actor: 'GitHub Actions', reason: "workflow 'CI' failed on feature/PAY-2-retry (run 123)" });
  });

  it('an automated move into a full work center is refused with WIP_LIMIT, shown on the card live and in the log; the next move clears it', async () => {
    const { board, made } = await payments(3);
    await setRules(board.id, githubRules(board));
    const hook = await makeHook(board.id, 'GitHub CI', 'github');
    await h.app.store.moveCard({ cardId: made[0]?.id ?? '', toColumnId: board.col('Test') }, { name: 'seed' });
    const viewer = await h.connect('wip viewer');
    const start = await viewer.joinSnapshot(board.id);
    const pay2 = made[1] as CardDTO;

    const merged = await github(hook, 'pull_request', fixture('github-pull_request-merged.json'));
    expect(merged.status).toBe(200);
    expect(merged.body.results?.[0]).toMatchObject({ outcome: 'refused', cardKey: 'PAY-2', code: 'WIP_LIMIT' });
    const refused = await viewer.events.find('the refusal', (e) => e.type === 'card_automation_refused');
    expect(refused).toMatchObject({ type: 'card_automation_refused', cardId: pay2.id, hookName: 'GitHub CI', toColumnId: board.col('Test'), code: 'WIP_LIMIT', actor: 'GitHub CI' });
    const folded = fold(start, [refused]).cards.find((c) => c.id === pay2.id);
    expect(folded?.automationRefusal).toMatchObject({ hookName: 'GitHub CI', code: 'WIP_LIMIT', toColumnId: board.col('Test') });
    const stored = await cardOf(board.id, pay2.id);
    expect(stored.columnId).toBe(board.col('Concept'));
    expect(stored.automationRefusal).toEqual(folded?.automationRefusal);
    const log = await logOf(board.id, hook);
    expect(log[0]).toMatchObject({ outcome: 'refused', code: 'WIP_LIMIT', cardKey: 'PAY-2' });
    expect(log[0]?.message).toMatch(/Test is at its WIP limit/);

    // A person's move clears it, on the server and in the fold (by id: every test board here is PAY, and the tests' users are on all of them).
    const mover = await h.connect('wip mover');
    expectOk(await mover.request('card:move', { cardId: pay2.id, toColumnId: board.col('Develop') }));
    const move = await viewer.events.find('the clearing move', (e) => e.type === 'card_moved' && e.cardId === pay2.id);
    expect(fold(start, [refused, move]).cards.find((c) => c.id === pay2.id)?.automationRefusal).toBeUndefined();
    expect((await cardOf(board.id, pay2.id)).automationRefusal).toBeUndefined();
  });
});

describe('inbound hooks: GitLab, Alertmanager and Flowboard JSON', () => {
  it('GitLab: a merged merge request moves to Test, a failed pipeline back to Develop with its reason, a production deployment to Deploy; a wrong token is refused', async () => {
    const { board, made } = await payments(2);
    await setRules(board.id, [
      { provider: 'gitlab', happening: 'merge_request.merged', workCenterId: board.col('Test') },
      { provider: 'gitlab', happening: 'pipeline.failure', workCenterId: board.col('Develop') },
      { provider: 'gitlab', happening: 'deployment.success', environment: 'production', workCenterId: board.col('Deploy') },
    ]);
    const hook = await makeHook(board.id, 'GitLab', 'gitlab');
    const pay2 = made[1] as CardDTO;
    const wrong = await gitlab(hook, 'Merge Request Hook', fixture('gitlab-merge_request-merged.json'), 'guess');
    expect(wrong.status).toBe(401);
    expect((await gitlab(hook, 'Merge Request Hook', fixture('gitlab-merge_request-merged.json'))).body.results?.[0]).toMatchObject({ outcome: 'moved', cardKey: 'PAY-2' });
    expect((await cardOf(board.id, pay2.id)).columnId).toBe(board.col('Test'));
    expect((await gitlab(hook, 'Pipeline Hook', fixture('gitlab-pipeline-failed.json'))).body.results?.[0]).toMatchObject({ outcome: 'moved' });
    expect((await h.app.store.cardHistory(pay2.id)).at(-1)).toMatchObject({ backward: true, reason: 'pipeline 31 failed on PAY-2-retry in acme/payments' });
    expect((await gitlab(hook, 'Deployment Hook', fixture('gitlab-deployment-success.json'))).body.results?.[0]).toMatchObject({ outcome: 'moved', message: 'PAY-2 moved to Deploy' });
  });

  it('Alertmanager: a firing alert creates one incident card per fingerprint, in the expedite lane; repeats do nothing; resolved is noted on the card', async () => {
    const { board } = await payments(1);
    const lane = expectOk(await (await h.connect('lane maker')).request('lane:add', { boardId: board.id, name: 'Expedite', classOfService: 'expedite', wipLimit: 2 })).lane;
    await setRules(board.id, [{ provider: 'alertmanager', happening: 'alert.firing', workCenterId: board.col('Operate'), cardType: 'incident' }]);
    const hook = await makeHook(board.id, 'Alertmanager', 'alertmanager');
    const viewer = await h.connect('alert viewer');
    await viewer.joinSnapshot(board.id);
    expect((await bearer(hook, fixture('alertmanager-firing.json'), 'wrong')).status).toBe(401);
    expect((await post(hook, fixture('alertmanager-firing.json'), {})).status).toBe(401);

    const first = await bearer(hook, fixture('alertmanager-firing.json'));
    expect(first.body.results?.[0]).toMatchObject({ outcome: 'created', cardKey: 'PAY-2' });
    const created = (await viewer.events.find('the incident', (e) => e.type === 'card_created')) as Extract<BoardEvent, { type: 'card_created' }>;
    expect(created.card).toMatchObject({ type: 'incident', columnId: board.col('Operate'), laneId: lane.id, number: 2, title: 'CheckoutErrorRate: Checkout errors above 2% for 5 minutes' });
    expect(created.actor).toBe('Alertmanager');
    const again = await bearer(hook, fixture('alertmanager-firing.json'));
    expect(again.body.results?.[0]?.outcome).toBe('duplicate');
    const resolved = await bearer(hook, fixture('alertmanager-resolved.json'));
    expect(resolved.body.results?.[0]).toMatchObject({ outcome: 'noted', cardKey: 'PAY-2' });
    expect((await bearer(hook, fixture('alertmanager-resolved.json'))).body.results?.[0]?.outcome).toBe('duplicate');
    const snapshot = await h.app.store.getSnapshot(board.id);
    const incidents = snapshot.cards.filter((c) => c.type === 'incident');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.description).toMatch(/Resolved at 2026-12-03T08:42:00Z \(Alertmanager\)\.$/);
    // Firing again after it was resolved: the same card, noted.
    expect((await bearer(hook, fixture('alertmanager-firing.json'))).body.results?.[0]).toMatchObject({ outcome: 'noted', cardKey: 'PAY-2' });
    expect((await h.app.store.getSnapshot(board.id)).cards.filter((c) => c.type === 'incident')).toHaveLength(1);
  });

  it('Alertmanager: an incident refused by the expedite lane\'s own limit is logged, and no card is made', async () => {
    const { board } = await payments(0);
    expectOk(await (await h.connect('lane maker 2')).request('lane:add', { boardId: board.id, name: 'Expedite', classOfService: 'expedite', wipLimit: 1 }));
    await setRules(board.id, [{ provider: 'alertmanager', happening: 'alert.firing', workCenterId: board.col('Operate') }]);
    const hook = await makeHook(board.id, 'Alerts', 'alertmanager');
    expect((await bearer(hook, fixture('alertmanager-firing.json'))).body.results?.[0]?.outcome).toBe('created');
    const other = fixture('alertmanager-firing.json').replace('5b1e7f0c2d3a4b69', 'ffff000011112222');
    const refused = await bearer(hook, other);
    expect(refused.body.results?.[0]).toMatchObject({ outcome: 'refused', code: 'WIP_LIMIT' });
    expect((await h.app.store.getSnapshot(board.id)).cards).toHaveLength(1);
    expect((await logOf(board.id, hook))[0]).toMatchObject({ outcome: 'refused', code: 'WIP_LIMIT', happening: 'alert.firing' });
  });

  it('Flowboard JSON: a move by key and work center name, a create, a replayed id; hostile bodies get a clear 400', async () => {
    const { board, made } = await payments(2);
    const hook = await makeHook(board.id, 'Release script', 'generic');
    const moved = await bearer(hook, fixture('generic-move.json'));
    expect(moved.body.results?.[0]).toMatchObject({ outcome: 'moved', cardKey: 'PAY-2', message: 'PAY-2 moved to Deploy' });
    expect((await cardOf(board.id, made[1]?.id ?? '')).columnId).toBe(board.col('Deploy'));
    expect((await bearer(hook, fixture('generic-move.json'))).body.outcome).toBe('duplicate');
    const created = await bearer(hook, fixture('generic-create.json'));
    expect(created.body.results?.[0]).toMatchObject({ outcome: 'created', cardKey: 'PAY-3' });
    const signed = JSON.stringify({ card: 'PAY-1', toWorkCenter: 'Develop' });
    expect((await post(hook, signed, { 'x-flowboard-signature-256': signatureOf(hook.secret, signed) })).body.results?.[0]?.outcome).toBe('moved');

    const notJson = await bearer(hook, '{"card": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.code).toBe('INVALID');
    expect((await bearer(hook, '[1,2,3]')).status).toBe(400);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect((await bearer(hook, deep)).status).toBe(400);
    const big = await bearer(hook, JSON.stringify({ card: 'PAY-1', toWorkCenter: 'Test', reason: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    const otherBoard = await payments(1);
    const foreign = await bearer(hook, JSON.stringify({ card: otherBoard.made[0]?.id, toWorkCenter: 'Develop' }));
    expect(foreign.body.results?.[0]).toMatchObject({ outcome: 'ignored' });
    expect((await h.api('POST', '/api/hooks/no-such-hook', { as: null, body: {} })).status).toBe(404);
  });
});

describe('inbound hooks: administration', () => {
  it('only board admins make hooks, see logs and set the mapping; the mapping names only this board\'s work centers and known happenings', async () => {
    const { board } = await payments(1);
    const member = await h.user('hook member');
    await h.grant(member, board.id, 'member');
    expect((await h.api('POST', `/api/boards/${board.id}/hooks`, { as: member, body: { name: 'x', provider: 'github' } })).status).toBe(403);
    expect((await h.api('GET', `/api/boards/${board.id}/hooks`, { as: member })).status).toBe(403);
    expect((await h.api('PATCH', `/api/boards/${board.id}/hook-mapping`, { body: { rules: [{ provider: 'github', happening: 'pull_request.opened', workCenterId: 'nope' }] } })).status).toBe(404);
    expect((await h.api('PATCH', `/api/boards/${board.id}/hook-mapping`, { body: { rules: [{ provider: 'github', happening: 'pipeline.failure', workCenterId: board.col('Test') }] } })).status).toBe(400);

    const made = await makeHook(board.id, 'GitHub', 'github');
    const list = await h.api<{ hooks: InboundHookDTO[] }>('GET', `/api/boards/${board.id}/hooks`);
    expect(list.body.hooks).toEqual([made.hook]);
    expect(JSON.stringify(list.body)).not.toContain(made.secret);
    const rotated = await h.api<Made>('POST', `/api/boards/${board.id}/hooks/${made.hook.id}/rotate`);
    expect(rotated.body.secret).not.toBe(made.secret);
    const body = fixture('github-push.json');
    expect((await github(made, 'push', body)).status).toBe(401);
    expect((await github({ ...made, secret: rotated.body.secret }, 'push', body)).status).toBe(200);
    expect((await h.api('DELETE', `/api/boards/${board.id}/hooks/${made.hook.id}`)).status).toBe(200);
    expect((await github({ ...made, secret: rotated.body.secret }, 'push', body)).status).toBe(404);
  });
});
