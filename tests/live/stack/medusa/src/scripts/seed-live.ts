import fs from 'fs'
import { ExecArgs } from '@medusajs/framework/types'
import { ContainerRegistrationKeys, Modules, ProductStatus } from '@medusajs/framework/utils'
import {
  createApiKeysWorkflow,
  createInventoryItemsWorkflow,
  createInventoryLevelsWorkflow,
  createOrderWorkflow,
  createProductsWorkflow,
  createPromotionsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from '@medusajs/medusa/core-flows'

// Minimal seed for live integration tests: sales channel, store currencies,
// region, publishable + secret API keys, products with handles/variants/prices,
// and what a checkout needs (see seedCheckout).
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

  const checkout = await seedCheckout(container, { sc, region: regions[0], profile })
  const second = await seedSecondTenant(container, profile.id)
  const stock = await seedBackofficeInventory(container, checkout.stock_location_id)

  const info = {
    ...checkout,
    ...second,
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

// Checkout: a stock location in the sales channel with a fulfillment set, service zone and a
// flat shipping option (manual provider), stock for a managed product (one variant in stock,
// one sold out), a product only in another sales channel, and a promotion code.
async function seedCheckout(container: any, { sc, region, profile }: { sc: any; region: any; profile: any }) {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: 'Live Warehouse', address: { address_1: '1 Dock St', city: 'Hamburg', country_code: 'DE' } }] },
  })
  const location = locations[0]
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: 'manual_manual' },
  })
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: 'Live Warehouse delivery',
    type: 'shipping',
    service_zones: [
      { name: 'Europe', geo_zones: ['de', 'fr', 'dk'].map((country_code) => ({ country_code, type: 'country' })) },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [sc.id] } })
  const { result: options } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: 'Live Standard',
        price_type: 'flat',
        provider_id: 'manual_manual',
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: 'Standard', description: 'Two days.', code: 'standard' },
        prices: [
          { currency_code: 'eur', amount: 8 },
          { region_id: region.id, amount: 8 },
        ],
        rules: [
          { attribute: 'enabled_in_store', value: 'true', operator: 'eq' },
          { attribute: 'is_return', value: 'false', operator: 'eq' },
        ],
      },
    ] as any,
  })

  const { result: others } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: 'Live Other Channel' }] },
  })
  const variant = (title: string, sku: string, manage: boolean) => ({
    title,
    sku,
    options: { Kind: title },
    manage_inventory: manage,
    prices: [{ amount: 20, currency_code: 'eur' }],
  })
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: 'Live Mug',
          handle: 'live-mug',
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: profile.id,
          options: [{ title: 'Kind', values: ['In stock', 'Sold out'] }],
          variants: [variant('In stock', 'LIVE-MUG-IN', true), variant('Sold out', 'LIVE-MUG-OUT', true)],
          sales_channels: [{ id: sc.id }],
          metadata: { source: 'seed-live' },
        },
        {
          title: 'Live Elsewhere',
          handle: 'live-elsewhere',
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: profile.id,
          options: [{ title: 'Kind', values: ['Only'] }],
          variants: [variant('Only', 'LIVE-ELSEWHERE', false)],
          sales_channels: [{ id: others[0].id }],
          metadata: { source: 'seed-live' },
        },
      ],
    },
  })
  const { data: items } = await query.graph({
    entity: 'inventory_item',
    fields: ['id', 'sku'],
    filters: { sku: ['LIVE-MUG-IN', 'LIVE-MUG-OUT'] },
  })
  await createInventoryLevelsWorkflow(container).run({
    input: {
      inventory_levels: items.map((item: any) => ({
        inventory_item_id: item.id,
        location_id: location.id,
        stocked_quantity: item.sku === 'LIVE-MUG-IN' ? 1000 : 0,
      })),
    },
  })
  const variantId = (sku: string) =>
    products.flatMap((p: any) => p.variants).find((v: any) => v.sku === sku).id

  await createPromotionsWorkflow(container).run({
    input: {
      promotionsData: [
        {
          code: 'LIVE10',
          type: 'standard',
          status: 'active',
          is_automatic: false,
          application_method: { type: 'percentage', target_type: 'order', allocation: 'across', value: 10 },
        },
      ],
    } as any,
  })
  return {
    stock_location_id: location.id,
    shipping_option_id: options[0].id,
    other_sales_channel_id: others[0].id,
    in_stock_variant_id: variantId('LIVE-MUG-IN'),
    sold_out_variant_id: variantId('LIVE-MUG-OUT'),
    other_channel_variant_id: variantId('LIVE-ELSEWHERE'),
    promotion_code: 'LIVE10',
  }
}

// ---------------------------------------------------------------- locales branch: a second tenant
// Its own sales channel, a publishable key that only sees it, and one product sold only there.
async function seedSecondTenant(container: ExecArgs['container'], profileId: string) {
  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: 'Beta Sales Channel' }] },
  })
  const channel = channels[0]
  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: 'Beta storefront', type: 'publishable', created_by: '' }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: keys[0].id, add: [channel.id] } })
  await createProductsWorkflow(container).run({
    input: {
      products: [{
        title: 'Beta Only', handle: 'live-beta-only', status: ProductStatus.PUBLISHED,
        shipping_profile_id: profileId,
        options: [{ title: 'Size', values: ['S'] }],
        variants: [{ title: 'S', sku: 'LIVE-BETA-ONLY-S', options: { Size: 'S' }, manage_inventory: false,
          prices: [{ amount: 7, currency_code: 'eur' }] }],
        sales_channels: [{ id: channel.id }],
      }],
    },
  })
  return { beta_sales_channel_id: channel.id, beta_publishable_key: keys[0].token }
}

// Back office (issue 19): one inventory item stocked at the checkout's location, so the inventory
// admin routes and the watcher have levels to read.
async function seedBackofficeInventory(container: ExecArgs['container'], locationId: string) {
  const { result: items } = await createInventoryItemsWorkflow(container).run({
    input: {
      items: [
        {
          sku: 'LIVE-STOCK-1',
          title: 'Live stock item',
          location_levels: [{ location_id: locationId, stocked_quantity: 100 }],
        },
      ],
    },
  })
  return { stock_location_id: locationId, inventory_item_id: (items[0] as any).id }
}
