/**
 * The outgoing webhooks API of a board (docs/api.md "Outgoing webhooks"): board admins only. The
 * router has checked membership already (NOT_FOUND otherwise); members and viewers get FORBIDDEN.
 */
import type { Access } from '../../../db/access';
import type { Webhooks } from '../../../db/webhooks';
import { DomainError } from '../../shared/domain/errors';
import { webhookSchemas, type DeliveryStatus } from '../../shared/webhooks';
import { authorize, parseOrFail } from '../commands';
import { route, type Route, type RouteRequest } from '../http/routes';
import { vetWebhookUrl } from './ssrf';

interface WebhookRouteDeps {
  access: Access;
  webhooks: Webhooks;
  allowPrivate: boolean;
}

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export function webhookRoutes({ access, webhooks, allowPrivate }: WebhookRouteDeps): Route[] {
  const admin = async (req: RouteRequest) => {
    await authorize(access, req.principal, req.params.boardId ?? '', 'admin');
    return { boardId: req.params.boardId ?? '', webhookId: req.params.webhookId ?? '' };
  };
  const base = '/api/boards/:boardId/webhooks';
  return [
    route('GET', base, async (req) => {
      const { boardId } = await admin(req);
      return { status: 200, body: { webhooks: await webhooks.list(boardId) } };
    }),
    route('POST', base, async (req) => {
      const { boardId } = await admin(req);
      const input = parseOrFail(webhookSchemas.create, req.body);
      await vetWebhookUrl(input.url, { allowPrivate });
      const { webhook, secret } = await webhooks.create(boardId, input, req.principal.user.id);
      // The secret is in this answer and never again.
      return { status: 201, body: { webhook, secret } };
    }),
    route('PATCH', `${base}/:webhookId`, async (req) => {
      const { boardId, webhookId } = await admin(req);
      const patch = parseOrFail(webhookSchemas.update, req.body);
      if (patch.url !== undefined) await vetWebhookUrl(patch.url, { allowPrivate });
      return { status: 200, body: { webhook: await webhooks.update(boardId, webhookId, patch) } };
    }),
    route('DELETE', `${base}/:webhookId`, async (req) => {
      const { boardId, webhookId } = await admin(req);
      await webhooks.remove(boardId, webhookId);
      return { status: 200, body: { webhooks: await webhooks.list(boardId) } };
    }),
    route('GET', `${base}/:webhookId/deliveries`, async (req) => {
      const { boardId, webhookId } = await admin(req);
      const status = req.query.get('status') ?? undefined;
      if (status !== undefined && !STATUSES.includes(status as DeliveryStatus)) throw new DomainError('INVALID', `status must be one of ${STATUSES.join(', ')}`);
      return { status: 200, body: { deliveries: await webhooks.deliveries(boardId, webhookId, status as DeliveryStatus | undefined) } };
    }),
    route('POST', `${base}/:webhookId/deliveries/:deliveryId/redeliver`, async (req) => {
      const { boardId, webhookId } = await admin(req);
      const delivery = await webhooks.redeliver(boardId, webhookId, req.params.deliveryId ?? '');
      return { status: 202, body: { delivery } };
    }),
  ];
}
