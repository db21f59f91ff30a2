/**
 * The one import site of webextension-polyfill: the worker and the options page import
 * `browser` from here, so the promise-based `browser.*` API is the same on Chrome and Firefox.
 * The popup uses ./browser-native instead, to stay within its size budget.
 */
import browser from 'webextension-polyfill'

export type { Browser } from 'webextension-polyfill'
export default browser
