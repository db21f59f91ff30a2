import { existsSync } from 'node:fs'

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium']
const FIREFOX_PATHS = ['/usr/bin/firefox-esr', '/usr/bin/firefox']

/** The Chromium to drive: CHROMIUM_PATH, or the first installed of the usual places. */
export function findChromium(): string | undefined {
  const override = process.env.CHROMIUM_PATH
  if (override) return existsSync(override) ? override : undefined
  return CHROMIUM_PATHS.find((path) => existsSync(path))
}

/** Firefox ESR (or Firefox): FIREFOX_PATH, or the first installed of the usual places. */
export function findFirefox(): string | undefined {
  const override = process.env.FIREFOX_PATH
  if (override) return existsSync(override) ? override : undefined
  return FIREFOX_PATHS.find((path) => existsSync(path))
}
