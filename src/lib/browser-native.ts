import type { Browser } from './browser'

/**
 * The extension API without the polyfill, for the popup, whose scripts must stay under 10 KB
 * gzipped (the polyfill alone is 3 KB). Firefox has a native promise-based `browser`; in Chrome
 * (MV3, 116+) every call the popup makes — `storage.*.get/set`, `storage.onChanged`,
 * `runtime.sendMessage`, `runtime.openOptionsPage`, `identity.getRedirectURL` — returns a
 * promise natively too. What Chrome lacks, promise replies from `onMessage` listeners, only
 * matters in the worker, which uses the polyfill.
 */
const scope = globalThis as unknown as { browser?: Browser; chrome?: Browser }
const browser: Browser = (scope.browser ?? scope.chrome)!

export default browser
