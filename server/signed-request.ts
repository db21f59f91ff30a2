/**
 * Meta's `signed_request` (deauthorize and data-deletion callbacks): `<sig>.<payload>`, where
 * `payload` is base64url JSON and `sig` is the base64url HMAC-SHA256 of the payload string as
 * sent, keyed with the app secret. Web Crypto only, so the same code runs on Node and Workers;
 * `crypto.subtle.verify` compares in constant time.
 */

export interface SignedRequestPayload {
  algorithm: 'HMAC-SHA256'
  user_id?: string
  issued_at?: number
  [key: string]: unknown
}

export type SignedRequestResult = { ok: true; payload: SignedRequestPayload } | { ok: false; reason: string }

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/
const MAX_LENGTH = 8192

export async function verifySignedRequest(signedRequest: string, appSecret: string): Promise<SignedRequestResult> {
  if (signedRequest.length > MAX_LENGTH) return { ok: false, reason: 'too long' }
  const parts = signedRequest.split('.')
  if (parts.length !== 2) return { ok: false, reason: 'not <signature>.<payload>' }
  const [encodedSig, encodedPayload] = parts as [string, string]
  if (!BASE64URL.test(encodedSig) || !BASE64URL.test(encodedPayload)) return { ok: false, reason: 'not base64url' }

  const signature = base64UrlDecode(encodedSig)
  if (signature === undefined || signature.length !== 32) return { ok: false, reason: 'bad signature length' }
  // Base64 ignores the last character's spare bits, so four spellings decode to one signature:
  // only the canonical one is Meta's, and only it is accepted (no second string for one request).
  if (base64UrlEncode(signature) !== encodedSig.replace(/=+$/, '')) return { ok: false, reason: 'signature not canonical' }

  const key = await hmacKey(appSecret, ['verify'])
  const valid = await crypto.subtle.verify('HMAC', key, signature, new TextEncoder().encode(encodedPayload))
  if (!valid) return { ok: false, reason: 'signature mismatch' }

  const payloadBytes = base64UrlDecode(encodedPayload)
  if (payloadBytes === undefined) return { ok: false, reason: 'payload not base64url' }
  let payload: unknown
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes))
  } catch {
    return { ok: false, reason: 'payload not JSON' }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, reason: 'payload not an object' }
  const record = payload as Record<string, unknown>
  if (typeof record.algorithm !== 'string' || record.algorithm.toUpperCase() !== 'HMAC-SHA256') {
    return { ok: false, reason: 'algorithm is not HMAC-SHA256' }
  }
  if (typeof record.user_id === 'number') record.user_id = String(record.user_id)
  return { ok: true, payload: record as SignedRequestPayload }
}

/** Signs a payload the way Meta does; used by tests, the emulator and confirmation codes. */
export async function signRequest(payload: Record<string, unknown>, appSecret: string): Promise<string> {
  const encodedPayload = base64UrlEncode(new TextEncoder().encode(JSON.stringify(payload)))
  return `${await hmacBase64Url(encodedPayload, appSecret)}.${encodedPayload}`
}

export async function hmacBase64Url(message: string, secret: string): Promise<string> {
  const key = await hmacKey(secret, ['sign'])
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message))
  return base64UrlEncode(new Uint8Array(sig))
}

function hmacKey(secret: string, usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, usages)
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | undefined {
  const normalized = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  if (normalized.length % 4 === 1) return undefined
  try {
    const binary = atob(normalized + '='.repeat((4 - (normalized.length % 4)) % 4))
    return Uint8Array.from(binary, (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}
