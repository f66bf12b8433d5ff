import path from 'path'
import { fileURLToPath } from 'url'
import type { CollectionConfig } from 'payload'

const dirname = path.dirname(fileURLToPath(import.meta.url))

// Uploads (logos, content images): multipart writes with a `_payload` JSON field; files are
// served at /api/media/file/<filename>.
export const Media: CollectionConfig = {
  slug: 'media',
  access: { read: () => true },
  upload: { staticDir: process.env.PAYLOAD_MEDIA_DIR || path.resolve(dirname, '../../media') },
  fields: [{ name: 'alt', type: 'text' }],
}
