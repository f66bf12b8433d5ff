/**
 * medusa_payload sender for Payload 3: afterChange/afterDelete hooks on product-content, pages
 * and stores that POST a signed event to the medusa_payload receiver.
 *
 *   import { medusaPayloadWebhooks } from './plugins/medusa-payload-webhooks'
 *   export default buildConfig({ ..., plugins: [medusaPayloadWebhooks()] })
 *
 * Env (or options): PAYLOAD_WEBHOOK_URL, PAYLOAD_WEBHOOK_SECRET (whsec_...; comma-separated
 * during a rotation), PAYLOAD_SYNC_USER_EMAIL (writes by this user are not sent: the sync
 * engine's own writes must not echo back). A write with `req.context.skipWebhook` is not sent.
 *
 * Delivery runs in the background (the editor's save is never held up by it) with bounded
 * retries; drafts are sent too (with their status) and the receiver drops them.
 */
import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionConfig,
  Config,
  PayloadRequest,
  Plugin,
} from 'payload'
import { deliver, newWebhookId, secretsFrom } from '../lib/standard-webhooks'

export type MedusaPayloadWebhooksOptions = {
  url?: string
  secret?: string
  collections?: string[]
  syncUserEmail?: string
  skip?: (req: PayloadRequest) => boolean
  maxAttempts?: number
}

type AnyDoc = Record<string, any>

const publishState = (doc: AnyDoc | undefined | null): string | null =>
  (doc?._status ?? doc?.status ?? null) as string | null

const summary = (doc: AnyDoc) => {
  const keep = ['id', 'handle', 'slug', 'medusaProductId', 'tenant', 'salesChannelId']
  return Object.fromEntries(keep.filter((k) => doc?.[k] !== undefined).map((k) => [k, doc[k]]))
}

export const medusaPayloadWebhooks =
  (options: MedusaPayloadWebhooksOptions = {}): Plugin =>
  (config: Config): Config => {
    const slugs = options.collections ?? ['product-content', 'pages', 'stores']
    const syncEmail = options.syncUserEmail ?? process.env.PAYLOAD_SYNC_USER_EMAIL

    const skipped = (req: PayloadRequest): boolean =>
      Boolean(req.context?.skipWebhook) ||
      (Boolean(syncEmail) && (req.user as AnyDoc | null)?.email === syncEmail) ||
      Boolean(options.skip?.(req))

    const send = (req: PayloadRequest, payloadBody: AnyDoc) => {
      const body = JSON.stringify({ ...payloadBody, sent_at: new Date().toISOString() })
      // Not awaited: the save returns at once; delivery retries on its own, bounded.
      void deliver({
        url: options.url ?? process.env.PAYLOAD_WEBHOOK_URL ?? '',
        secrets: secretsFrom(options.secret ?? process.env.PAYLOAD_WEBHOOK_SECRET),
        body,
        id: newWebhookId(),
        maxAttempts: options.maxAttempts ?? 5,
        logger: req.payload.logger,
        label: `medusa-payload-webhooks ${payloadBody.event}`,
      })
    }

    const afterChange =
      (slug: string): CollectionAfterChangeHook =>
      ({ doc, previousDoc, operation, req }) => {
        if (!skipped(req)) {
          send(req, {
            event: `${slug}.${operation}`,
            collection: slug,
            operation,
            id: String(doc.id),
            status: publishState(doc),
            previous_status: operation === 'create' ? null : publishState(previousDoc),
            doc: summary(doc),
          })
        }
        return doc
      }

    const afterDelete =
      (slug: string): CollectionAfterDeleteHook =>
      ({ doc, id, req }) => {
        if (!skipped(req)) {
          send(req, {
            event: `${slug}.delete`,
            collection: slug,
            operation: 'delete',
            id: String(id ?? doc?.id),
            status: null,
            previous_status: publishState(doc),
            doc: summary(doc ?? { id }),
          })
        }
        return doc
      }

    const withHooks = (collection: CollectionConfig): CollectionConfig =>
      slugs.includes(collection.slug)
        ? {
            ...collection,
            hooks: {
              ...collection.hooks,
              afterChange: [...(collection.hooks?.afterChange ?? []), afterChange(collection.slug)],
              afterDelete: [...(collection.hooks?.afterDelete ?? []), afterDelete(collection.slug)],
            },
          }
        : collection

    return { ...config, collections: (config.collections ?? []).map(withHooks) }
  }
