import type { CollectionConfig } from 'payload'

export const Tenants: CollectionConfig = {
  slug: 'tenants',
  access: { read: () => true },
  admin: { useAsTitle: 'name' },
  fields: [
    { name: 'medusaTenantId', type: 'text', required: true, unique: true, index: true },
    { name: 'name', type: 'text', required: true },
    { name: 'settings', type: 'json' },
  ],
}
