import type { CollectionConfig } from 'payload'

// Editors' content with drafts and versions (the back-office live tests: save a draft, publish,
// change, restore a version). Only logged-in users (or API keys) read them.
export const Articles: CollectionConfig = {
  slug: 'articles',
  access: { read: ({ req }) => Boolean(req.user) },
  admin: { useAsTitle: 'title' },
  versions: { drafts: true, maxPerDoc: 50 },
  fields: [
    { name: 'slug', type: 'text', required: true, unique: true, index: true },
    { name: 'title', type: 'text', required: true },
    { name: 'body', type: 'textarea' },
    { name: 'cover', type: 'upload', relationTo: 'media' },
  ],
}
