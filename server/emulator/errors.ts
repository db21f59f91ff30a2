import { randomBytes } from 'node:crypto'

/** Instagram's two error wire formats, built in one place. */

/** `api.instagram.com/oauth/access_token` errors: `{"error_type","code","error_message"}`, code 400 and HTTP 400 unless given. */
export function oauthError(message: string, options: { code?: number; type?: string; status?: number } = {}): Response {
  const body = { error_type: options.type ?? 'OAuthException', code: options.code ?? 400, error_message: message }
  return jsonResponse(JSON.stringify(body), options.status ?? 400)
}

/** An HTML error page in place of JSON, as a proxy or an outage page answers. */
export function htmlPage(status: number): Response {
  const body = `<!doctype html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1><p>HTTP ${status}</p></body></html>`
  return new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=UTF-8' } })
}

export interface GraphErrorInit {
  message: string
  code: number
  subcode?: number
  type?: string
  status?: number
  isTransient?: boolean
}

/** `graph.instagram.com` errors: `{"error":{message,type,code,error_subcode,fbtrace_id}}`. */
export function graphError(init: GraphErrorInit): Response {
  const error: Record<string, unknown> = {
    message: init.message,
    type: init.type ?? 'OAuthException',
    code: init.code,
  }
  if (init.subcode !== undefined) error.error_subcode = init.subcode
  if (init.isTransient !== undefined) error.is_transient = init.isTransient
  error.fbtrace_id = `A${randomBytes(16).toString('base64url')}`
  return jsonResponse(JSON.stringify({ error }), init.status ?? 400)
}

export function jsonResponse(text: string, status = 200): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'application/json; charset=UTF-8' } })
}
