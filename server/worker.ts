/**
 * Cloudflare Workers entry: the same `createApp` as the Node server, configured from the
 * Worker's bindings — `[vars]` in wrangler.toml and secrets (`wrangler secret put
 * IG_CLIENT_SECRET`) — and rate-limited by the `RATE_LIMITER` and `READ_RATE_LIMITER` bindings,
 * whose counters the isolates of one Cloudflare location share (each location counts apart). Deploying: docs/deploy-cloudflare.md.
 */
import type { Context, ExecutionContext } from 'hono'
import { createApp, type ExchangeApp } from './app'
import { loadConfig, type Env } from './config'
import { ApiError } from './errors'
import { bindingRateLimit, type RateLimitBinding } from './middleware/rate-limit'
import { apiJson } from './response'

// workerd takes every export of the main module for an entrypoint: only `default` is exported.

/** `simple.period` of `[[ratelimits]]` in wrangler.toml (test/worker checks they agree). */
const RATE_LIMIT_PERIOD_SECONDS = 60

interface WorkerEnv {
  /** `[[ratelimits]]` binding; without it each isolate counts alone (RATE_LIMIT_PER_MINUTE). */
  RATE_LIMITER?: RateLimitBinding
  /** The same for `GET /me` and `GET /me/media`; without it, READ_RATE_LIMIT_PER_MINUTE per isolate. */
  READ_RATE_LIMITER?: RateLimitBinding
  [name: string]: unknown
}

type Built = { ok: true; app: ExchangeApp } | { ok: false; errors: string[] }

// One isolate serves many requests with the same env: build the app once per env object.
let built: { env: WorkerEnv; result: Built } | undefined

/** Reads the configuration from the bindings; `loadConfig` does the checking, as on Node. */
function buildWorkerApp(env: WorkerEnv): Built {
  const vars: Env = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value
  const errors: string[] = []
  // On Node the default is the address the server listens on; a Worker cannot know its own URL,
  // and the host guard and the data-deletion status links need it.
  if (!vars.PUBLIC_URL?.trim()) {
    errors.push('PUBLIC_URL is required on Workers: the URL the Worker is served at, e.g. https://instagram-connect.<subdomain>.workers.dev.')
  }
  const result = loadConfig(vars)
  if (!result.ok || errors.length > 0) return { ok: false, errors: [...errors, ...(result.ok ? [] : result.errors)] }

  // Set by Cloudflare's edge to the connecting client's address; clients cannot override it.
  const clientAddress = (c: Context) => c.req.header('cf-connecting-ip')
  for (const warning of result.warnings) console.warn(warning)
  const { RATE_LIMITER: binding, READ_RATE_LIMITER: readBinding } = env
  for (const [name, present] of [['RATE_LIMITER', binding], ['READ_RATE_LIMITER', readBinding]] as const) {
    if (!present) console.warn(`No ${name} binding: its rate limit is counted per isolate; add [[ratelimits]] to wrangler.toml.`)
  }
  const counted = (b: RateLimitBinding) =>
    bindingRateLimit({ binding: b, periodSeconds: RATE_LIMIT_PERIOD_SECONDS, trustProxy: result.config.trustProxy, clientAddress })
  const app = createApp(result.config, {
    clientAddress,
    ...(binding ? { rateLimit: counted(binding) } : {}),
    ...(readBinding ? { readRateLimit: counted(readBinding) } : {}),
  })
  return { ok: true, app }
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    if (built?.env !== env) {
      built = { env, result: buildWorkerApp(env) }
      if (!built.result.ok) {
        console.error('The exchange server cannot start; fix these Worker variables or secrets (wrangler.toml [vars], wrangler secret put):')
        for (const problem of built.result.errors) console.error(`  ${problem}`)
      }
    }
    if (built.result.ok) return built.result.app.fetch(request, env, ctx)
    const error = new ApiError('server_error', 'The exchange server is not configured; its operator can see why with `wrangler tail`.')
    return apiJson(error.toBody(), error.status)
  },
}
