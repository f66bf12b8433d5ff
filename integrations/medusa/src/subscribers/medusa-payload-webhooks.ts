/**
 * medusa_payload sender for Medusa v2: forwards commerce events to the medusa_payload webhook
 * receiver, signed with Standard Webhooks (see ../lib/standard-webhooks.ts).
 *
 * Env: MEDUSA_WEBHOOK_URL (e.g. https://sync.example.com/webhooks/medusa),
 *      MEDUSA_WEBHOOK_SECRET (whsec_... ; comma-separated during a rotation).
 * Body: {"event", "data": {"id", ...}, "metadata", "sent_at"} (docs/webhook-contract.md).
 *
 * inventory.low, vendor.* and tenant.* are not emitted by a stock Medusa: they are forwarded
 * when your modules emit them (e.g. eventBus.emit({ name: "inventory.low", data: { id, ... } })).
 */
import type { SubscriberArgs, SubscriberConfig } from '@medusajs/framework'
import { deliver, newWebhookId, secretsFrom } from '../lib/standard-webhooks'

export default async function medusaPayloadWebhooks({
  event,
  container,
}: SubscriberArgs<Record<string, unknown>>) {
  const logger = container.resolve('logger')
  const body = JSON.stringify({
    event: event.name,
    data: event.data,
    metadata: event.metadata ?? null,
    sent_at: new Date().toISOString(),
  })
  await deliver({
    url: process.env.MEDUSA_WEBHOOK_URL ?? '',
    secrets: secretsFrom(process.env.MEDUSA_WEBHOOK_SECRET),
    body,
    id: newWebhookId(),
    logger,
    label: `medusa-payload-webhooks ${event.name}`,
  })
}

export const config: SubscriberConfig = {
  event: [
    'product.created',
    'product.updated',
    'product.deleted',
    'order.placed',
    'order.completed',
    'inventory.low',
    'vendor.created',
    'vendor.updated',
    'vendor.approved',
    'tenant.created',
    'tenant.updated',
  ],
}
