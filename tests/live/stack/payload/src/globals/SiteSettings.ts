import type { GlobalConfig } from 'payload'

export const SiteSettings: GlobalConfig = {
  slug: 'site-settings',
  access: { read: () => true },
  // Versions on a global: find_global_versions / restore_global_version.
  versions: { max: 50 },
  fields: [
    { name: 'siteName', type: 'text' },
    { name: 'defaultLocale', type: 'text' },
    { name: 'maintenance', type: 'checkbox' },
  ],
}
