import type { CollectionConfig } from 'payload'

// One document per webhook delivery, written by medusa_payload.webhooks.PayloadAuditSink
// (fields of WebhookRecord.to_doc()).
export const WebhookLogs: CollectionConfig = {
  slug: 'webhook-logs',
  access: { read: () => true },
  fields: [
    { name: 'requestId', type: 'text', index: true },
    { name: 'source', type: 'text' },
    { name: 'status', type: 'number' },
    { name: 'reason', type: 'text' },
    { name: 'receivedAt', type: 'date' },
    { name: 'durationMs', type: 'number' },
    { name: 'webhookId', type: 'text', index: true },
    { name: 'event', type: 'text' },
    { name: 'jobId', type: 'text' },
    { name: 'jobName', type: 'text' },
    { name: 'duplicate', type: 'checkbox' },
    { name: 'error', type: 'text' },
  ],
}
