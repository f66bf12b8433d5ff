/**
 * Standard Webhooks signing and delivery for the medusa_payload senders (Medusa subscriber,
 * Payload plugin). Copy this file next to them as `src/lib/standard-webhooks.ts`.
 *
 * Headers: webhook-id (the same on every retry of one event), webhook-timestamp (Unix seconds,
 * fresh per attempt), webhook-signature ("v1,<base64 HMAC-SHA256(key, id.timestamp.body)>",
 * one entry per secret during a rotation). A secret "whsec_<base64>" is base64-decoded after the
 * prefix; any other secret is used as its UTF-8 bytes. See docs/webhook-contract.md.
 */
import { createHmac, randomUUID } from 'crypto'

export type Logger = { info: (msg: string) => void; warn: (msg: string) => void }

export function secretsFrom(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)
}

function keyOf(secret: string): Buffer {
  return secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8')
}

export function sign(id: string, timestamp: number, body: string, secrets: string[]): string {
  return secrets
    .map((secret) => {
      const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`)
      return `v1,${mac.digest('base64')}`
    })
    .join(' ')
}

export function newWebhookId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`
}

export type Delivery = {
  url: string
  secrets: string[]
  body: string
  id?: string
  maxAttempts?: number
  timeoutMs?: number
  logger?: Logger
  label?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * POST one signed event. Retries 5xx, 429 and network errors with exponential backoff and
 * jitter (0.25 s, 0.5 s, 1 s, ...), re-signing each attempt with a fresh timestamp and the same
 * webhook-id; never retries another 4xx (the receiver refused the event for good).
 * Resolves to true when the receiver answered 2xx.
 */
export async function deliver(delivery: Delivery): Promise<boolean> {
  const { url, secrets, body, logger } = delivery
  const id = delivery.id ?? newWebhookId()
  const maxAttempts = delivery.maxAttempts ?? 5
  const label = delivery.label ?? 'webhook'
  if (!url || secrets.length === 0) {
    logger?.warn(`${label}: no URL or secret configured, not sent`)
    return false
  }
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const timestamp = Math.floor(Date.now() / 1000)
    let retry = true
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'medusa-payload-sender/1',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': sign(id, timestamp, body, secrets),
        },
        body,
        signal: AbortSignal.timeout(delivery.timeoutMs ?? 5000),
      })
      if (res.ok) {
        logger?.info(`${label}: delivered ${id} (${res.status}, attempt ${attempt})`)
        return true
      }
      retry = res.status >= 500 || res.status === 429
      logger?.warn(`${label}: ${id} answered ${res.status} (attempt ${attempt})`)
    } catch (err) {
      logger?.warn(`${label}: ${id} failed: ${(err as Error).message} (attempt ${attempt})`)
    }
    if (!retry || attempt === maxAttempts) break
    await sleep(250 * 2 ** (attempt - 1) + Math.random() * 100)
  }
  return false
}
