import { Hono } from 'hono'
import type { ServerConfig } from '../config'
import { apiJson } from '../response'

/** `GET /health` and the public `GET /config` the extension builds its authorize URL from. */
export function publicRoutes(config: ServerConfig) {
  const publicConfig = Object.freeze({
    api: config.api,
    client_id: config.clientId,
    authorize_url: authorizeUrl(config),
    scope: config.scopes,
    redirect_uris: config.allowedRedirectUris,
  })
  return new Hono()
    .get('/health', () => apiJson({ status: 'ok' }))
    .get('/config', () => apiJson(publicConfig))
}

/** The authorize endpoint with `force_reauth=true` when IG_FORCE_REAUTH is on (other parameters kept). */
function authorizeUrl(config: ServerConfig): string {
  if (!config.forceReauth) return config.authorizeUrl
  const url = new URL(config.authorizeUrl)
  url.searchParams.set('force_reauth', 'true')
  return url.toString()
}
