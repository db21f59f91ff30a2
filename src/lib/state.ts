/** Bytes of randomness in an OAuth `state`: 256 bits, well over the 128 the spec asks for. */
export const STATE_BYTES = 32

export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>

/** Base64url without padding (RFC 4648 §5), safe in a query string as is. */
export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A fresh OAuth `state` (RFC 6749 §10.12, CSRF protection): 256 random bits from
 * `crypto.getRandomValues`, base64url-encoded (43 characters).
 */
export function generateState(fill: RandomFill = (bytes) => crypto.getRandomValues(bytes)): string {
  return base64url(fill(new Uint8Array(STATE_BYTES)))
}
