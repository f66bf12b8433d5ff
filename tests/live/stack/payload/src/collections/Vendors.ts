import type { CollectionConfig } from 'payload'

// Mirrors medusa_payload.testing._payload_schema (keep the two in step).
export const Vendors: CollectionConfig = {
  slug: 'vendors',
  access: { read: () => true },
  admin: { useAsTitle: 'name' },
  fields: [
    { name: 'handle', type: 'text', required: true, unique: true, index: true },
    { name: 'name', type: 'text', required: true },
    { name: 'medusaVendorId', type: 'text', unique: true, index: true },
    { name: 'businessInfo', type: 'json' },
    { name: 'status', type: 'text' },
  ],
}
