/**
 * `node --import ./instagram-hosts.mjs <peer server>`: Instagram's three hosts answered by the
 * emulator, like a hosts-file entry. The peers keep the URLs they ship with
 * (https://api.instagram.com/…, https://graph.instagram.com/…): fetch and https.request to
 * those hosts go to INSTAGRAM_EMULATOR_URL (http://127.0.0.1:<port>) with the same path and
 * query. Nothing else is changed, so "unmodified" in row 8 means the library's own URLs.
 */
import http from 'node:http'
import https from 'node:https'
import { syncBuiltinESMExports } from 'node:module'

/** The hosts the Instagram API with Instagram Login (and the retired Basic Display API) use. */
export const INSTAGRAM_HOSTS = new Set(['www.instagram.com', 'api.instagram.com', 'graph.instagram.com'])

const emulator = new URL(process.env.INSTAGRAM_EMULATOR_URL ?? '')

/** `url` on the emulator when its host is one of Instagram's; otherwise undefined. */
export function toEmulator(url) {
  const parsed = new URL(url)
  if (!INSTAGRAM_HOSTS.has(parsed.hostname)) return undefined
  return new URL(`${parsed.pathname}${parsed.search}`, emulator)
}

const realFetch = globalThis.fetch
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input)
  const mapped = toEmulator(url)
  if (!mapped) return realFetch(input, init)
  return realFetch(input instanceof Request ? new Request(mapped, input) : mapped, init)
}

/** https.request(url?, options?, callback?) → http.request to the emulator for Instagram's hosts. */
function redirected(real) {
  return (...args) => {
    const callback = typeof args.at(-1) === 'function' ? args.pop() : undefined
    let [first, second] = args
    let options
    if (typeof first === 'string' || first instanceof URL) {
      const url = new URL(first)
      options = { protocol: url.protocol, hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, ...second }
    } else {
      options = { ...first }
    }
    const hostname = options.hostname ?? String(options.host ?? '').replace(/:\d+$/, '')
    if (!INSTAGRAM_HOSTS.has(hostname)) return real(...(callback ? [...args, callback] : args))
    const { agent, host, ...rest } = options
    return http.request({ ...rest, protocol: 'http:', hostname: emulator.hostname, port: emulator.port }, callback)
  }
}
https.request = redirected(https.request)
https.get = (...args) => {
  const req = https.request(...args)
  req.end()
  return req
}
syncBuiltinESMExports()
