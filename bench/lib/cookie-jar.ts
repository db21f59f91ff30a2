/** A browser's cookies for the benchmark's login walks (bench/lib/peers.ts). */

/** Cookies as a browser keeps them for one origin: name → value, from each answer's Set-Cookie. */
export class CookieJar {
  private readonly cookies = new Map<string, string>()

  /** Stores (or, for an expired or emptied cookie, removes) what `response` sets. */
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const equals = pair.indexOf('=')
      const name = pair.slice(0, equals).trim()
      const value = pair.slice(equals + 1).trim()
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()))
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  /** The Cookie request header. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/** One request as a browser makes it: the jar's cookies sent, its Set-Cookie kept, no redirect followed. */
export async function browse(url: string, jar: CookieJar, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: jar.header() }, redirect: 'manual' })
  jar.take(response)
  return response
}
