import type { Payload } from 'payload'

const para = (text: string) => ({
  root: {
    type: 'root', format: '', indent: 0, version: 1, direction: 'ltr',
    children: [{
      type: 'paragraph', format: '', indent: 0, version: 1, direction: 'ltr', textFormat: 0, textStyle: '',
      children: [{ type: 'text', text, format: 0, style: '', mode: 'normal', detail: 0, version: 1 }],
    }],
  },
})

export async function seed(payload: Payload): Promise<void> {
  const email = process.env.PAYLOAD_ADMIN_EMAIL || 'admin@example.com'
  const apiKey = process.env.PAYLOAD_API_KEY || 'live-stack-payload-api-key-0001'
  const existing = await payload.find({ collection: 'users', where: { email: { equals: email } }, limit: 1 })
  if (existing.totalDocs === 0) {
    await payload.create({
      collection: 'users',
      data: {
        email,
        password: process.env.PAYLOAD_ADMIN_PASSWORD || 'supersecret',
        enableAPIKey: true,
        apiKey,
      } as any,
    })
    payload.logger.info(`seed: created user ${email} with API key`)
  }
  const syncEmail = process.env.PAYLOAD_SYNC_USER_EMAIL || 'sync@example.com'
  const syncUser = await payload.find({ collection: 'users', where: { email: { equals: syncEmail } }, limit: 1 })
  if (syncUser.totalDocs === 0) {
    await payload.create({
      collection: 'users',
      data: {
        email: syncEmail,
        password: process.env.PAYLOAD_SYNC_USER_PASSWORD || 'sync-secret',
        enableAPIKey: true,
        apiKey: process.env.PAYLOAD_SYNC_API_KEY || 'live-stack-sync-api-key-0002',
      } as any,
    })
    payload.logger.info(`seed: created sync user ${syncEmail}`)
  }
  // Seeds are written with skipWebhook: they are not editors' changes.
  const quiet = { skipWebhook: true }
  const stores = await payload.find({ collection: 'stores', where: { handle: { equals: 'acme' } }, limit: 1 })
  let storeId = stores.docs[0]?.id
  if (!storeId) {
    const s = await payload.create({
      collection: 'stores',
      context: quiet,
      data: {
        handle: 'acme', name: 'Acme Store', tenant: 'acme',
        branding: { logo: '/logo.svg', primaryColor: '#112233', secondaryColor: '#ddeeff', theme: 'light' },
      } as any,
    })
    storeId = s.id
  }
  const pages = await payload.find({ collection: 'pages', where: { slug: { equals: 'about' } }, limit: 1 })
  if (pages.totalDocs === 0) {
    await payload.create({
      collection: 'pages',
      context: quiet,
      data: { slug: 'about', title: 'About us', content: para('We sell tees.'), tenant: 'acme', store: storeId, status: 'published' } as any,
    })
    await payload.create({
      collection: 'pages',
      context: quiet,
      data: { slug: 'about', title: 'About Beta', content: para('Beta.'), tenant: 'beta', status: 'published' } as any,
    })
  }
  for (const [handle, title] of [['live-tee', 'Live Tee'], ['live-hoodie', 'Live Hoodie']]) {
    const pc = await payload.find({ collection: 'product-content', where: { handle: { equals: handle } }, limit: 1 })
    if (pc.totalDocs === 0) {
      await payload.create({
        collection: 'product-content',
        context: quiet,
        data: {
          handle, title,
          description: `${title} plain description`,
          richDescription: para(`${title} rich description`),
          features: [{ title: 'Organic cotton', description: '100% organic' }],
          specs: [{ key: 'weight', value: '180gsm' }],
          seo: { title: `${title} | Acme`, description: `Buy ${title}`, keywords: 'tee,cotton' },
          status: 'published',
        } as any,
      })
    }
  }
  const draft = await payload.find({ collection: 'product-content', where: { handle: { equals: 'live-draft' } }, limit: 1 })
  if (draft.totalDocs === 0) {
    // Copy prepared before its product exists: a draft that names no product.
    await payload.create({
      collection: 'product-content',
      context: quiet,
      data: { handle: 'live-draft', title: 'Live Draft', status: 'draft' } as any,
    })
  }
  await seedLocalesAndTenants(payload, quiet)
}

// ---------------------------------------------------------------- locales branch
// French copy of live-tee (live-hoodie has none: it falls back to English), a second tenant's
// store with its own branding, and French page titles.
async function seedLocalesAndTenants(payload: Payload, quiet: Record<string, unknown>): Promise<void> {
  const tee = await payload.find({ collection: 'product-content', where: { handle: { equals: 'live-tee' } }, limit: 1, locale: 'fr', fallbackLocale: false } as any)
  const doc = tee.docs[0] as any
  if (doc && !doc.title) {
    await payload.update({
      collection: 'product-content',
      id: doc.id,
      locale: 'fr',
      context: quiet,
      data: { title: 'Tee en direct', description: 'Tee en direct, description simple', seo: { title: 'Tee en direct | Acme' } } as any,
    } as any)
  }
  const beta = await payload.find({ collection: 'stores', where: { handle: { equals: 'beta' } }, limit: 1 })
  if (beta.totalDocs === 0) {
    await payload.create({
      collection: 'stores',
      context: quiet,
      data: {
        handle: 'beta', name: 'Beta Store', tenant: 'beta',
        branding: { logo: '/beta.svg', primaryColor: '#445566', secondaryColor: '#ffeedd', theme: 'dark' },
      } as any,
    })
  }
  const about = await payload.find({ collection: 'pages', where: { slug: { equals: 'about' }, tenant: { equals: 'acme' } }, limit: 1, locale: 'fr', fallbackLocale: false } as any)
  const page = about.docs[0] as any
  if (page && !page.title) {
    await payload.update({ collection: 'pages', id: page.id, locale: 'fr', context: quiet, data: { title: 'À propos' } as any } as any)
  }
}
