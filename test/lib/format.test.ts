import { afterEach, describe, expect, it } from 'vitest'
import { waitText } from '../../src/lib/errors'
import { plural, t } from '../../src/lib/i18n'
import { installI18n } from '../support/i18n'
import { accountTypeLabel, count, safeUrl } from '../../src/popup/format'

describe('safeUrl', () => {
  it('keeps http(s) URLs from the server', () => {
    expect(safeUrl('https://scontent.cdninstagram.com/a.jpg?x=1')).toBe('https://scontent.cdninstagram.com/a.jpg?x=1')
    expect(safeUrl('http://127.0.0.1:9000/__emulator/pictures/a.svg')).toBe('http://127.0.0.1:9000/__emulator/pictures/a.svg')
  })

  it('drops anything that could run script or is not a URL', () => {
    for (const value of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', 'not a url', '', undefined]) {
      expect(safeUrl(value), String(value)).toBeUndefined()
    }
  })
})

describe('labels', () => {
  afterEach(() => installI18n('en'))

  it('names account types and shortens counts', () => {
    expect(accountTypeLabel('BUSINESS')).toBe('Business account')
    expect(accountTypeLabel('MEDIA_CREATOR')).toBe('Creator account')
    expect(accountTypeLabel('SOMETHING')).toBe('Something account')
    // As Meta's docs write them: the same words whatever the case.
    expect(accountTypeLabel('Media_Creator')).toBe('Creator account')
    expect(accountTypeLabel('Business')).toBe('Business account')
    expect(accountTypeLabel('media_creator')).toBe('Creator account')
    expect(accountTypeLabel('NEW_KIND')).toBe('New kind account')
    expect(accountTypeLabel(undefined)).toBeUndefined()
    expect(count(1284)).toBe('1.3K')
    expect(count(6)).toBe('6')
    expect(count(undefined)).toBe('—')
  })

  // Issue 16: numbers with Intl for the UI language, compact where apt (1,3 mil / 1.3K).
  it.each([
    ['en', '1.3K', '2.5M', 'Business account'],
    ['es', '1,3 mil', '2,5 M', 'Cuenta de empresa'],
    ['pt_BR', '1,3 mil', '2,5 mi', 'Conta comercial'],
    ['id', '1,3 rb', '2,5 jt', 'Akun bisnis'],
    ['tr', '1,3 B', '2,5 Mn', 'İşletme hesabı'],
  ])('%s: counts as %s and %s, account types in Instagram’s words', (locale, thousands, millions, business) => {
    installI18n(locale)
    // Intl puts a no-break space between the number and its unit.
    const spaced = (text: string) => text.replace(/\s/g, ' ')
    expect(spaced(count(1284))).toBe(thousands)
    expect(spaced(count(2_500_000))).toBe(millions)
    expect(accountTypeLabel('BUSINESS')).toBe(business)
  })

  it.each([
    ['en', 1, 'post', 'follower'],
    ['en', 0, 'posts', 'followers'],
    ['en', 1284, 'posts', 'followers'],
    ['es', 1, 'publicación', 'seguidor'],
    ['es', 2, 'publicaciones', 'seguidores'],
    ['es', 1_000_000, 'publicaciones', 'seguidores'], // CLDR "many"
    ['pt_BR', 1, 'publicação', 'seguidor'],
    ['pt_BR', 0, 'publicação', 'seguidor'], // Portuguese: 0 and 1 are "one"
    ['pt_BR', 7, 'publicações', 'seguidores'],
    ['id', 1, 'kiriman', 'pengikut'],
    ['id', 5, 'kiriman', 'pengikut'],
    ['tr', 1, 'gönderi', 'takipçi'],
    ['tr', 5, 'gönderi', 'takipçi'],
  ])('%s: %d → %s, %s (plural rules)', (locale, n, posts, followers) => {
    installI18n(locale)
    expect(t(plural('stat_posts', n))).toBe(posts)
    expect(t(plural('stat_followers', n))).toBe(followers)
  })

  it('says a wait in minutes with the right plural', () => {
    expect(waitText(undefined)).toBe('about a minute')
    expect(waitText(61)).toBe('about 2 minutes')
    installI18n('pt_BR')
    expect(waitText(30)).toBe('cerca de um minuto')
    expect(waitText(300)).toBe('cerca de 5 minutos')
  })
})

describe('accountTypeLabel with outside text (issue 14)', () => {
  it('reads its table by own properties only', () => {
    // Unknown types are shown as words (issue 12): never a prototype member's value.
    expect(accountTypeLabel('constructor')).toBe('Constructor account')
    expect(accountTypeLabel('__proto__')).toBe('Proto account')
    expect(accountTypeLabel('toString')).toBe('Tostring account')
    for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(typeof accountTypeLabel(name)).toBe('string')
  })
})
