import fs from 'fs'
import { ExecArgs } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, Modules, ProductStatus } from '@medusajs/framework/utils'
import {
  createApiKeysWorkflow,
  createInventoryItemsWorkflow,
  createOrderWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  updateStoresWorkflow,
} from '@medusajs/medusa/core-flows'

// Minimal seed for live integration tests: sales channel, store currencies,
// region, publishable + secret API keys, 2 products with handles/variants/prices.
export default async function seedLive({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const storeService = container.resolve(Modules.STORE)
  const scService = container.resolve(Modules.SALES_CHANNEL)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const out = process.env.SEED_OUT || 'seed-output.json'

  const { data: existing } = await query.graph({ entity: 'product', fields: ['id'], filters: { handle: 'live-tee' } })
  if (existing.length) {
    logger.info('seed-live: already seeded, nothing to do')
    return
  }

  const [store] = await storeService.listStores()
  let [sc] = await scService.listSalesChannels({ name: 'Default Sales Channel' })
  if (!sc) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: [{ name: 'Default Sales Channel' }] },
    })
    sc = result[0]
  }
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [
          { currency_code: 'eur', is_default: true },
          { currency_code: 'usd' },
        ],
        default_sales_channel_id: sc.id,
      },
    },
  })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: 'Europe', currency_code: 'eur', countries: ['de', 'fr', 'dk'], payment_providers: ['pp_system_default'] }] },
  })

  let [profile] = await fulfillment.listShippingProfiles({ type: 'default' })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: 'Default Shipping Profile', type: 'default' }] },
    })
    profile = result[0]
  }

  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: {
      api_keys: [
        { title: 'Live storefront', type: 'publishable', created_by: '' },
        { title: 'Live SDK admin', type: 'secret', created_by: '' },
      ],
    },
  })
  const pk = keys.find((k: any) => k.type === 'publishable')!
  const sk = keys.find((k: any) => k.type === 'secret')!
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: pk.id, add: [sc.id] } })

  const mk = (title: string, handle: string, eur: number, usd: number) => ({
    title,
    handle,
    description: `${title} from the live seed`,
    status: ProductStatus.PUBLISHED,
    shipping_profile_id: profile.id,
    options: [{ title: 'Size', values: ['S', 'M'] }],
    variants: ['S', 'M'].map((size) => ({
      title: size,
      sku: `${handle.toUpperCase()}-${size}`,
      options: { Size: size },
      manage_inventory: false,
      prices: [
        { amount: eur, currency_code: 'eur' },
        { amount: usd, currency_code: 'usd' },
      ],
    })),
    sales_channels: [{ id: sc.id }],
    metadata: { source: 'seed-live' },
  })
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        mk('Live Tee', 'live-tee', 10, 12),
        mk('Live Hoodie', 'live-hoodie', 30, 35),
        // A product with no Payload content at all.
        mk('Live Plain', 'live-plain', 5, 6),
      ],
    },
  })

  // One order, so the admin orders routes and the order audit have data.
  const { data: teeVariants } = await query.graph({
    entity: 'product_variant',
    fields: ['id'],
    filters: { sku: 'LIVE-TEE-S' },
  })
  const { result: order } = await createOrderWorkflow(container).run({
    input: {
      region_id: regions[0].id,
      sales_channel_id: sc.id,
      email: 'buyer@example.com',
      currency_code: 'eur',
      status: 'pending',
      items: [{ variant_id: (teeVariants[0] as any).id, quantity: 2, title: 'Live Tee S', unit_price: 10 }],
      shipping_address: { first_name: 'Ada', last_name: 'Buyer', address_1: '1 Main St', city: 'Berlin', country_code: 'de', postal_code: '10115' },
    } as any,
  })

  const stock = await seedBackofficeInventory(container)

  const info = {
    ...stock,
    publishable_key: pk.token,
    secret_key: sk.token,
    sales_channel_id: sc.id,
    region_id: regions[0].id,
    products: products.map((p: any) => ({ id: p.id, handle: p.handle })),
    order_id: (order as any).id,
    store_id: store.id,
  }
  fs.writeFileSync(out, JSON.stringify(info, null, 2))
  logger.info(`seed-live: wrote ${out}`)
}

// Back office (issue 19): a stock location holding one inventory item, so the inventory admin
// routes and the watcher have levels to read. Kept apart from the storefront seed above.
async function seedBackofficeInventory(container: ExecArgs['container']) {
  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: 'Live Warehouse' }] },
  })
  const { result: items } = await createInventoryItemsWorkflow(container).run({
    input: {
      items: [
        {
          sku: 'LIVE-STOCK-1',
          title: 'Live stock item',
          location_levels: [{ location_id: locations[0].id, stocked_quantity: 100 }],
        },
      ],
    },
  })
  return { stock_location_id: locations[0].id, inventory_item_id: (items[0] as any).id }
}
