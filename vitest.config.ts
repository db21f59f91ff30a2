import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // chrome.i18n over public/_locales/en, for the extension's modules (src/lib/i18n.ts).
    setupFiles: ['test/support/i18n-setup.ts'],
  },
})
