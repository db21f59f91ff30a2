import { describe, expect, it } from 'vitest'
import { classifyAuthFlowRejection, describeError } from '../../src/lib/errors'

const ctx = { serverUrl: 'http://127.0.0.1:8787', redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/' }
const say = (code: string, message = 'm') => describeError({ code, message }, ctx)

describe('describeError', () => {
  it('names the server URL and how to start it when unreachable', () => {
    const m = say('server_unreachable')
    expect(m.title).toBe('Can’t reach the server')
    expect(m.detail).toContain('http://127.0.0.1:8787')
    expect(m.detail).toContain('`npm start`')
    expect(m.detail).toContain('`npm run server`')
    expect(m.next).toEqual(['retry', 'options'])
  })

  it('gives the exact redirect URL to copy when it is not allowed', () => {
    const m = say('redirect_uri_not_allowed')
    expect(m.copy).toBe(ctx.redirectUri)
    expect(m.detail).toContain('`ALLOWED_REDIRECT_URIS`')
  })

  it('says what to do for each flow outcome', () => {
    expect(say('cancelled').title).toBe('Connection cancelled')
    expect(say('window_closed').title).toBe('The Instagram window was closed')
    expect(say('invalid_grant').detail).toMatch(/Try again/)
    expect(say('upstream_error').title).toBe('Instagram is unavailable')
    expect(say('upstream_timeout').title).toBe('Instagram is unavailable')
    expect(say('invalid_token').next).toEqual(['reconnect'])
    expect(say('permission_required').next).toEqual(['options'])
  })

  it('names the reliability outcomes: a stopped worker, a server URL changed mid-flow, a server stopping', () => {
    expect(say('interrupted')).toMatchObject({ title: 'The sign-in was interrupted', next: ['retry'] })
    expect(say('server_changed')).toMatchObject({ title: 'The server changed during the sign-in', next: ['retry'] })
    expect(say('server_changed').detail).toContain(ctx.serverUrl)
    expect(say('shutting_down')).toMatchObject({ title: 'The server is restarting', next: ['retry'] })
  })

  it('has a fallback that quotes the server’s message', () => {
    const m = say('server_error', 'Unexpected failure.')
    expect(m.title).toBe('Something went wrong')
    expect(m.detail).toContain('Unexpected failure.')
  })

  it('only offers a copy value for the redirect error', () => {
    expect(say('cancelled').copy).toBeUndefined()
  })
})

describe('classifyAuthFlowRejection', () => {
  it('reads a closed window in Chromium and Firefox wording', () => {
    expect(classifyAuthFlowRejection(new Error('The user did not approve access.')).code).toBe('window_closed')
    expect(classifyAuthFlowRejection(new Error('User cancelled or denied access.')).code).toBe('window_closed')
    // Chromium, while a window of an earlier flow (its worker stopped) is still open: the browser refusing, not Instagram.
    expect(classifyAuthFlowRejection(new Error('Only one web auth flow is allowed at a time.')).code).toBe('auth_window_open')
    expect(say('auth_window_open')).toMatchObject({ title: 'An Instagram window is already open', next: ['retry'] })
  })

  it('reads a page that failed to load', () => {
    expect(classifyAuthFlowRejection(new Error('Authorization page could not be loaded.')).code).toBe('auth_page_failed')
  })

  it('keeps anything else as auth_failed with its text', () => {
    expect(classifyAuthFlowRejection('weird')).toEqual({ code: 'auth_failed', message: 'weird' })
  })

  it('permission_missing: Reconnect, naming the permission when the server says it', () => {
    const named = say('permission_missing', 'Instagram says the permission instagram_business_basic is missing (it was not granted or was removed); reconnect and allow it.')
    expect(named.title).toBe('Instagram needs a permission')
    expect(named.detail).toBe('Instagram says the permission `instagram_business_basic` was not granted or was removed. Reconnect and allow it.')
    expect(named.next).toEqual(['reconnect'])
    const unnamed = say('permission_missing', 'Instagram says the app lacks a permission this needs.')
    expect(unnamed.detail).toMatch(/Reconnect and allow every permission/)
    expect(unnamed.next).toEqual(['reconnect'])
  })

  it('instagram_rate_limited: how long to wait, in minutes, from Retry-After', () => {
    const wait = (retryAfter?: number) => describeError({ code: 'instagram_rate_limited', message: 'm', ...(retryAfter === undefined ? {} : { retryAfter }) }, ctx)
    expect(wait(420).title).toBe('Instagram is busy')
    expect(wait(420).detail).toContain('Wait about 7 minutes, then try again.')
    expect(wait(60).detail).toContain('Wait about a minute')
    expect(wait(61).detail).toContain('Wait about 2 minutes')
    expect(wait(undefined).detail).toContain('Wait about a minute')
    expect(wait(420).next).toEqual(['retry'])
  })
})

describe('describeError with codes named like Object.prototype members (issue 14)', () => {
  it('gives each the generic message with a next step', () => {
    for (const code of Object.getOwnPropertyNames(Object.prototype)) {
      const message = say(code)
      expect(message.title, code).toBe('Something went wrong')
      expect(message.next).toEqual(['retry'])
    }
  })

  it('tells the user the server answered with a redirect', () => {
    const message = say('server_redirect')
    expect(message.title).toBe('The server answered with a redirect')
    expect(message.detail).toContain(ctx.serverUrl)
    expect(message.next).toEqual(['options', 'retry'])
  })
})
