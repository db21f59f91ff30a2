import { randomBytes } from 'node:crypto'

/** Instagram's two error wire formats, built in one place. */

/** `api.instagram.com/oauth/access_token` errors. */
export function oauthError(message: string): Response {
  return jsonResponse(JSON.stringify({ error_type: 'OAuthException', code: 400, error_message: message }), 400)
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
