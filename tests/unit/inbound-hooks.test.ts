import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDelivery } from '../../lib/server/hooks/providers';
import { deliveryIdOf, signatureOf, verify } from '../../lib/server/hooks/verify';
import { hookSchemas, rulesFor, type HookRule } from '../../lib/shared/hooks';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/hooks', name), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;

describe('signatures', () => {
  const secret = 'fbh_test-secret';
  const body = fixture('github-push.json');

  it('GitHub: the HMAC-SHA256 of the raw body with the secret passes; another secret, another body, a bad format or none does not', () => {
    expect(verify('github', { 'x-hub-signature-256': signatureOf(secret, body) }, secret, body)).toEqual({ ok: true });
    expect(verify('github', { 'x-hub-signature-256': signatureOf(secret, body).toUpperCase().replace('SHA256=', 'sha256=') }, secret, body)).toEqual({ ok: true });
    expect(verify('github', { 'x-hub-signature-256': signatureOf('other', body) }, secret, body)).toMatchObject({ ok: false, missing: false });
    expect(verify('github', { 'x-hub-signature-256': signatureOf(secret, `${body} `) }, secret, body)).toMatchObject({ ok: false, missing: false });
    expect(verify('github', { 'x-hub-signature-256': 'sha1=abc' }, secret, body)).toMatchObject({ ok: false, missing: false });
    expect(verify('github', {}, secret, body)).toMatchObject({ ok: false, missing: true });
  });

  it('GitLab: the token is the secret itself', () => {
    expect(verify('gitlab', { 'x-gitlab-token': secret }, secret, body)).toEqual({ ok: true });
    expect(verify('gitlab', { 'x-gitlab-token': `${secret}x` }, secret, body)).toMatchObject({ ok: false, missing: false });
    expect(verify('gitlab', {}, secret, body)).toMatchObject({ ok: false, missing: true });
  });

  it('Alertmanager and Flowboard JSON: a bearer token, or our own HMAC header', () => {
    expect(verify('bearer', { authorization: `Bearer ${secret}` }, secret, body)).toEqual({ ok: true });
    expect(verify('bearer', { authorization: `bearer   ${secret}` }, secret, body)).toEqual({ ok: true });
    expect(verify('bearer', { authorization: `Basic ${secret}` }, secret, body)).toMatchObject({ ok: false });
    expect(verify('bearer', { authorization: 'Bearer nope' }, secret, body)).toMatchObject({ ok: false, missing: false });
    expect(verify('bearer', { 'x-flowboard-signature-256': signatureOf(secret, body) }, secret, body)).toEqual({ ok: true });
    // A signature header that fails is not rescued by a bearer.
    expect(verify('bearer', { 'x-flowboard-signature-256': signatureOf('x', body), authorization: `Bearer ${secret}` }, secret, body)).toMatchObject({ ok: false });
    expect(verify('bearer', {}, secret, body)).toMatchObject({ ok: false, missing: true });
  });

  it('delivery ids: GitHub\'s delivery header, GitLab\'s idempotency key (else its event UUID)', () => {
    expect(deliveryIdOf('github', { 'x-github-delivery': 'abc' })).toBe('abc');
    expect(deliveryIdOf('gitlab', { 'idempotency-key': 'k', 'x-gitlab-event-uuid': 'u' })).toBe('k');
    expect(deliveryIdOf('gitlab', { 'x-gitlab-event-uuid': 'u' })).toBe('u');
    expect(deliveryIdOf('bearer', { 'x-github-delivery': 'abc' })).toBeNull();
  });
});

describe('reading deliveries', () => {
  it('GitHub: pull requests opened and merged, a failed workflow with its reason, a production deployment, a ping', () => {
    expect(readDelivery({ 'x-github-event': 'pull_request' }, json('github-pull_request-opened.json'))).toEqual({
      provider: 'github',
      reading: { happenings: [{ kind: 'pipeline', provider: 'github', happening: 'pull_request.opened', text: 'PAY-2: checkout retries the card charge once\nfeature/PAY-2-retry', environment: null, reason: 'pull request #17 opened in acme/payments' }] },
    });
    expect(readDelivery({ 'x-github-event': 'pull_request' }, json('github-pull_request-merged.json')).reading).toMatchObject({ happenings: [{ happening: 'pull_request.merged' }] });
    expect(readDelivery({ 'x-github-event': 'workflow_run' }, json('github-workflow_run-failure.json')).reading).toMatchObject({
      happenings: [{ happening: 'workflow_run.failure', reason: "workflow 'CI' failed on feature/PAY-2-retry (run 123)" }],
    });
    expect(readDelivery({ 'x-github-event': 'deployment_status' }, json('github-deployment_status-success.json')).reading).toMatchObject({
      happenings: [{ happening: 'deployment_status.success', environment: 'production', text: expect.stringContaining('PAY-2') }],
    });
    expect(readDelivery({ 'x-github-event': 'ping' }, { zen: 'Keep it logically awesome.' }).reading).toMatchObject({ ignored: expect.stringContaining('ping') });
    const inProgress = { ...json('github-workflow_run-failure.json'), action: 'in_progress' };
    expect(readDelivery({ 'x-github-event': 'workflow_run' }, inProgress).reading).toMatchObject({ ignored: expect.any(String) });
  });

  it('GitLab: merge request merged, pipeline failed, deployment succeeded', () => {
    expect(readDelivery({ 'x-gitlab-event': 'Merge Request Hook' }, json('gitlab-merge_request-merged.json')).reading).toMatchObject({ happenings: [{ happening: 'merge_request.merged', text: expect.stringContaining('PAY-2-retry') }] });
    expect(readDelivery({ 'x-gitlab-event': 'Pipeline Hook' }, json('gitlab-pipeline-failed.json')).reading).toMatchObject({ happenings: [{ happening: 'pipeline.failure', reason: 'pipeline 31 failed on PAY-2-retry in acme/payments' }] });
    expect(readDelivery({ 'x-gitlab-event': 'Deployment Hook' }, json('gitlab-deployment-success.json')).reading).toMatchObject({ happenings: [{ happening: 'deployment.success', environment: 'production' }] });
  });

  it('Alertmanager: one happening per alert, by fingerprint; a payload of another version is ignored', () => {
    const { provider, reading } = readDelivery({}, json('alertmanager-firing.json'));
    expect(provider).toBe('alertmanager');
    expect(reading).toMatchObject({ happenings: [{ kind: 'alert', status: 'firing', fingerprint: '5b1e7f0c2d3a4b69', title: 'CheckoutErrorRate: Checkout errors above 2% for 5 minutes' }] });
    expect(readDelivery({}, { ...json('alertmanager-firing.json'), version: '3' }).reading).toMatchObject({ ignored: expect.stringContaining('version 3') });
  });

  it('Flowboard JSON: a move, a create, and what it says when neither', () => {
    expect(readDelivery({}, json('generic-move.json')).reading).toEqual({ happenings: [{ kind: 'move', card: 'PAY-2', toWorkCenter: 'Deploy', reason: 'release 2026.12.2 started' }] });
    expect(readDelivery({}, json('generic-create.json')).reading).toMatchObject({ happenings: [{ kind: 'create', title: 'Customer cannot download receipts', type: 'feedback', workCenter: 'Concept' }] });
    expect(readDelivery({}, { hello: 1 }).reading).toMatchObject({ ignored: expect.stringContaining('toWorkCenter') });
  });
});

describe('the mapping', () => {
  const rules: HookRule[] = [
    { provider: 'github', happening: 'deployment_status.success', environment: 'production', workCenterId: 'deploy' },
    { provider: 'github', happening: 'deployment_status.success', environment: 'staging', workCenterId: 'test' },
    { provider: 'github', happening: 'pull_request.opened', workCenterId: 'develop' },
    { provider: 'gitlab', happening: 'push', workCenterId: 'develop' },
  ];

  it('a rule takes its provider\'s happening, in its environment when it names one (any case)', () => {
    expect(rulesFor(rules, 'github', 'deployment_status.success', 'Production').map((r) => r.workCenterId)).toEqual(['deploy']);
    expect(rulesFor(rules, 'github', 'deployment_status.success', 'staging').map((r) => r.workCenterId)).toEqual(['test']);
    expect(rulesFor(rules, 'github', 'deployment_status.success', null)).toEqual([]);
    expect(rulesFor(rules, 'github', 'pull_request.opened', null).map((r) => r.workCenterId)).toEqual(['develop']);
    expect(rulesFor(rules, 'gitlab', 'pull_request.opened', null)).toEqual([]);
    expect(rulesFor(rules, 'github', 'push', null)).toEqual([]);
  });

  it('the schema refuses a happening of another provider, unknown fields and too many rules', () => {
    expect(hookSchemas.mapping.safeParse({ rules }).success).toBe(true);
    expect(hookSchemas.mapping.safeParse({ rules: [{ provider: 'gitlab', happening: 'pull_request.opened', workCenterId: 'x' }] }).success).toBe(false);
    expect(hookSchemas.mapping.safeParse({ rules: [{ provider: 'github', happening: 'push', workCenterId: 'x', extra: 1 }] }).success).toBe(false);
    expect(hookSchemas.mapping.safeParse({ rules: Array.from({ length: 51 }, () => rules[2]) }).success).toBe(false);
  });
});
