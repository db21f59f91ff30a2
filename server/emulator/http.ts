import type { Context } from 'hono'

/** Small request and response helpers the emulator's route files share. */

/** The emulator's own origin as the client reached it (links to pictures, `paging.next`). */
export function requestOrigin(c: Context): string {
  return new URL(c.req.url).origin
}

/** An HTML page (the consent dialog and its errors), never framed, never cached. */
export function htmlResponse(body: string, status: 200 | 400 = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=UTF-8',
      // No form-action: Chrome applies it to the redirect that follows the POST.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
      'Cache-Control': 'no-store',
    },
  })
}

/** The access token of a Graph call: the `access_token` query parameter or a bearer header. */
export function accessToken(c: Context): string | undefined {
  const query = c.req.query('access_token')
  if (query) return query
  const header = c.req.header('Authorization')
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null
  return match?.[1]
}
