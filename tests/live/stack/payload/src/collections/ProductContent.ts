import type { CollectionConfig } from 'payload'

export const ProductContent: CollectionConfig = {
  slug: 'product-content',
  access: { read: () => true },
  admin: { useAsTitle: 'title' },
  // Every save is a version an editor can restore (no Payload drafts: `status` says what is
  // published, and only published content reaches Medusa).
  versions: { maxPerDoc: 20 },
  fields: [
    { name: 'medusaProductId', type: 'text', index: true },
    { name: 'handle', type: 'text', required: true, unique: true, index: true },
    { name: 'title', type: 'text', required: true, localized: true },
    { name: 'description', type: 'textarea', localized: true },
    { name: 'richDescription', type: 'richText', localized: true },
    {
      name: 'features',
      type: 'array',
      fields: [
        { name: 'title', type: 'text', required: true },
        { name: 'description', type: 'textarea' },
      ],
    },
    {
      name: 'specs',
      type: 'array',
      fields: [
        { name: 'key', type: 'text', required: true },
        { name: 'value', type: 'text' },
      ],
    },
    {
      name: 'seo',
      type: 'group',
      fields: [
        { name: 'title', type: 'text', localized: true },
        { name: 'description', type: 'textarea', localized: true },
        { name: 'keywords', type: 'text' },
      ],
    },
    {
      name: 'status',
      type: 'select',
      defaultValue: 'draft',
      options: ['draft', 'published'],
      index: true,
    },
    // Set when the Medusa product was deleted: editors' copy is archived, never deleted.
    { name: 'archived', type: 'checkbox', defaultValue: false },
  ],
}
