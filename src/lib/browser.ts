/**
 * The one import site of webextension-polyfill: everything else imports `browser` from here,
 * so the promise-based `browser.*` API is the same on Chrome and Firefox.
 */
import browser from 'webextension-polyfill'

export default browser
