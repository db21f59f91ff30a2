import fc from 'fast-check'
import { renderToString } from 'preact-render-to-string'
import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/background/handlers'
import { describeError } from '../../src/lib/errors'
import { readSnapshot, type StorageLike } from '../../src/lib/storage'
import { App } from '../../src/popup/app'
import { fakeDeps, REDIRECT, SERVER } from '../background/fake-browser'
import { fakeStorage } from '../lib/fake-storage'

/**
 * Issue 14: a server `error` named like an `Object.prototype` member ("constructor",
 * "__proto__") broke the popup until the browser restarted. Arbitrary codes and descriptions go
 * from a server answer through the worker's connect flow and storage into the popup, rendered
 * by Preact (preact-render-to-string: the real components, no DOM needed).
 */

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype)
const KNOWN = ['invalid_grant', 'redirect_uri_not_allowed', 'rate_limited', 'upstream_error', 'invalid_token', 'server_unreachable']
const code = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, ...KNOWN), fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 1 }))
const description = fc.oneof(fc.string(), fc.constantFrom('<img src=x onerror=alert(1)>', '`code` and `more', 'undefined', ''))

/** The popup as it renders a storage snapshot (what App shows once its first read is done). */
async function renderPopup(storage: StorageLike): Promise<string> {
  const app = new App({})
  app.state = { ...app.state, snapshot: await readSnapshot(storage) }
  return renderToString(app.render())
}

const escapeHtml = (text: string) => renderToString(<>{text}</>)

describe('server error codes reach the popup as the right view', () => {
  it('every code and description from /config or /token: an error view with its buttons, never a broken or stuck popup', async () => {
    await fc.assert(
      fc.asyncProperty(code, description, fc.constantFrom(400, 403, 429, 500, 503), fc.constantFrom('GET /config', 'POST /token'), async (error, text, status, route) => {
        const { deps, storage } = fakeDeps({
          local: { serverUrl: SERVER },
          routes: { [route]: () => ({ status, body: { error, error_description: text } }) },
        })
        const reply = await createHandlers(deps).connect({})
        expect(reply).toEqual({ ok: false, error: { code: error, message: text } })

        const html = await renderPopup(storage)
        expect(html).toContain('data-view="error"')
        const notice = describeError({ code: error, message: text }, { serverUrl: SERVER, redirectUri: REDIRECT })
        expect(html).toContain(`<h1>${escapeHtml(notice.title)}</h1>`)
        if (!KNOWN.includes(error)) expect(notice.title).toBe('Something went wrong')
        expect(notice.next.length).toBeGreaterThan(0)
        for (const step of notice.next) expect(html).toContain({ retry: '>Try again<', reconnect: '>Reconnect<', options: '>Open options<' }[step])
        expect(html).toContain('>Dismiss<')
        expect(html).toContain(`<code>${escapeHtml(error)}</code>`)
        expect(html).not.toMatch(/<img src="x"|\[object |function \w*\(/)
      }),
      { numRuns: 300 },
    )
  })

  it('"constructor" and "__proto__" (the issue\'s reproduction) show the generic error view', async () => {
    for (const error of ['constructor', '__proto__']) {
      const { deps, storage } = fakeDeps({ routes: { 'GET /config': () => ({ status: 503, body: { error, error_description: 'Busy.' } }) } })
      await createHandlers(deps).connect({})
      const html = await renderPopup(storage)
      expect(html).toContain('<h1>Something went wrong</h1>')
      expect(html).toContain('>Try again<')
      expect(html).not.toContain('Connecting…')
    }
  })
})

describe('a malformed stored notice never breaks a view', () => {
  const flow = fc.record(
    {
      phase: fc.constantFrom('error', 'authorizing', 'exchanging', 'idle', 'constructor'),
      error: fc.oneof(fc.anything(), fc.record({ code: code, message: fc.string() })),
      notice: fc.oneof(
        fc.anything(),
        fc.record(
          {
            title: fc.oneof(fc.string(), fc.anything()),
            detail: fc.oneof(fc.string(), fc.anything()),
            next: fc.oneof(fc.array(fc.constantFrom('retry', 'reconnect', 'options', 'constructor', '__proto__')), fc.anything()),
            copy: fc.anything(),
          },
          { requiredKeys: [] },
        ),
      ),
      at: fc.anything(),
      started_at: fc.oneof(fc.integer(), fc.anything()),
    },
    { requiredKeys: ['phase'] },
  )

  it('renders a whole popup from any stored flow', async () => {
    await fc.assert(
      fc.asyncProperty(flow, async (stored) => {
        const storage = fakeStorage({ local: { serverUrl: SERVER }, session: { flow: stored } })
        const html = await renderPopup(storage)
        expect(html).toMatch(/data-view="(error|disconnected|connecting)"/)
        // Every view has a heading and a button to go on with.
        expect(html).toMatch(/<h1>[^<]+<\/h1>/)
        expect(html).toMatch(/<button[^>]*>[^<]+<\/button>/)
        expect(html).not.toMatch(/\[object |function \w*\(|>undefined</)
      }),
      { numRuns: 300 },
    )
  })
})
