import { describe, expect, it } from 'vitest'
import { FLOOR_PAGES, USER, watchScript, withScriptFirst } from '../../bench/lib/paint-watch'

describe('the paint watcher of rows 5 and 9', () => {
  it('goes first in the head, before the page\'s own scripts', () => {
    const html = '<!doctype html><html><HEAD><meta charset="utf-8"><script type="module" src="/a.js"></script></HEAD><body></body></html>'
    const out = withScriptFirst(html, '/bench-watch.js')
    expect(out.indexOf('<script src="/bench-watch.js"></script>')).toBeLessThan(out.indexOf('/a.js'))
    expect(out.match(/bench-watch/g)).toHaveLength(1)
  })

  it('refuses a page without a head rather than measuring it unwatched', () => {
    expect(() => withScriptFirst('<p>no head</p>', '/w.js')).toThrow('no <head>')
  })

  it('is a self-contained classic script naming the user', () => {
    const script = watchScript(USER)
    expect(() => new Function(script)).not.toThrow()
    expect(script).toContain(JSON.stringify(USER))
  })

  it('floor pages show the same heading the popup does', () => {
    expect(FLOOR_PAGES['bench-floor-static.html']).toContain(`<h1 class="handle">@${USER}</h1>`)
    expect(FLOOR_PAGES['bench-floor-storage.js']).toContain(`'@${USER}'`)
  })
})
