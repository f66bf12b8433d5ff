import type { CollectionConfig } from 'payload'

export const Stores: CollectionConfig = {
  slug: 'stores',
  access: { read: () => true },
  admin: { useAsTitle: 'name' },
  fields: [
    { name: 'handle', type: 'text', required: true, unique: true, index: true },
    { name: 'name', type: 'text', required: true },
    { name: 'tenant', type: 'text', index: true },
    // The Medusa sales channel of this storefront: scopes its products, owns its branding.
    { name: 'salesChannelId', type: 'text' },
    {
      name: 'branding',
      type: 'group',
      fields: [
        { name: 'logo', type: 'text' },
        // An uploaded logo (wins over the `logo` path when set).
        { name: 'logoMedia', type: 'upload', relationTo: 'media' },
        { name: 'primaryColor', type: 'text' },
        { name: 'secondaryColor', type: 'text' },
        { name: 'theme', type: 'select', options: ['light', 'dark'], defaultValue: 'light' },
      ],
    },
  ],
}
