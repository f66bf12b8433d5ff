import path from 'path'
import { fileURLToPath } from 'url'
import { buildConfig } from 'payload'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { lexicalEditor } from '@payloadcms/richtext-lexical'

import { Users } from './collections/Users'
import { ProductContent } from './collections/ProductContent'
import { Pages } from './collections/Pages'
import { Stores } from './collections/Stores'
import { Vendors } from './collections/Vendors'
import { Tenants } from './collections/Tenants'
import { OrderAudit } from './collections/OrderAudit'
import { WebhookLogs } from './collections/WebhookLogs'
import { SyncJobs } from './collections/SyncJobs'
import { Articles } from './collections/Articles'
import { Media } from './collections/Media'
import { SiteSettings } from './globals/SiteSettings'
import { medusaPayloadWebhooks } from './plugins/medusa-payload-webhooks'
import { seed } from './seed'

const filename = fileURLToPath(import.meta.url)
const dirname = path.dirname(filename)

export default buildConfig({
  admin: { user: Users.slug },
  collections: [Users, Stores, Pages, ProductContent, Vendors, Tenants, OrderAudit, WebhookLogs, SyncJobs, Media, Articles],
  globals: [SiteSettings],
  // The project's own sender (integrations/payload): signed afterChange/afterDelete webhooks.
  plugins: [medusaPayloadWebhooks()],
  editor: lexicalEditor(),
  // Languages (locales branch): editors write title/description/SEO of product content and
  // pages per locale; a missing translation falls back to the default locale.
  localization: { locales: ['en', 'fr', 'de'], defaultLocale: 'en', fallback: true },
  secret: process.env.PAYLOAD_SECRET || 'live-stack-payload-secret',
  telemetry: false,
  typescript: { autoGenerate: false, outputFile: path.resolve(dirname, 'payload-types.ts') },
  db: sqliteAdapter({
    client: { url: process.env.DATABASE_URI || 'file:' + path.resolve(dirname, '../payload.db') },
    // Dev-mode schema push (drizzle). In production mode use `payload migrate`.
    push: true,
  }),
  onInit: async (payload) => {
    await seed(payload)
  },
})
