import type { CollectionConfig } from 'payload'

// Append-only: one record per (order, event); `key` = "<orderId>:<event>" is unique.
export const OrderAudit: CollectionConfig = {
  slug: 'order-audit',
  access: { read: () => true },
  admin: { useAsTitle: 'key' },
  fields: [
    { name: 'key', type: 'text', required: true, unique: true, index: true },
    { name: 'orderId', type: 'text', required: true, index: true },
    { name: 'event', type: 'text', required: true },
    { name: 'total', type: 'number' },
    { name: 'currencyCode', type: 'text' },
    { name: 'email', type: 'text' },
    { name: 'payload', type: 'json' },
  ],
}
