/**
 * The emulator's test users: frozen data, shaped like the Graph fields they feed.
 * `userId` is the Instagram professional account id (a number above 2^53 on the wire);
 * `id` is the app-scoped id that Instagram Login's `/me` returns beside it.
 */
export type AccountType = 'BUSINESS' | 'MEDIA_CREATOR' | 'PERSONAL'
export type MediaType = 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM'

export interface TestMedia {
  readonly id: string
  readonly caption: string
  readonly mediaType: MediaType
  /** ISO 8601 as Graph writes it: `2026-11-01T10:00:00+0000`. */
  readonly timestamp: string
  readonly shortcode: string
  /** Fill colour of the generated picture. */
  readonly color: string
}

export interface TestUser {
  readonly username: string
  /** Exact decimal string; may exceed Number.MAX_SAFE_INTEGER. */
  readonly userId: string
  /** App-scoped id (a different numeric string). */
  readonly id: string
  readonly name: string
  readonly accountType: AccountType
  readonly biography: string
  readonly followersCount: number
  readonly followsCount: number
  readonly media: readonly TestMedia[]
}

function freezeUser(user: TestUser): TestUser {
  Object.freeze(user.media)
  user.media.forEach((m) => Object.freeze(m))
  return Object.freeze(user)
}

export const TEST_USERS: readonly TestUser[] = Object.freeze([
  freezeUser({
    username: 'jayposiris',
    userId: '17841405793187218',
    id: '7315485093812458',
    name: 'Jay Posiris',
    accountType: 'BUSINESS',
    biography: 'Coffee, cameras and the occasional sunset.',
    followersCount: 1284,
    followsCount: 311,
    media: [
      { id: '17895695668004550', caption: 'Morning espresso ☕', mediaType: 'IMAGE', timestamp: '2026-11-06T08:15:00+0000', shortcode: 'CzJ1aB2kQ1x', color: '#c2410c' },
      { id: '17895695668004551', caption: 'Harbour at dusk', mediaType: 'IMAGE', timestamp: '2026-11-05T18:42:00+0000', shortcode: 'CzH7pQ3lR2y', color: '#1d4ed8' },
      { id: '17895695668004552', caption: 'Roasting day — a short clip', mediaType: 'VIDEO', timestamp: '2026-11-04T12:00:00+0000', shortcode: 'CzF2kL9mS3z', color: '#7c2d12' },
      { id: '17895695668004553', caption: 'Three cups, three origins', mediaType: 'CAROUSEL_ALBUM', timestamp: '2026-11-03T09:30:00+0000', shortcode: 'CzD5nM1oT4a', color: '#15803d' },
      { id: '17895695668004554', caption: '', mediaType: 'IMAGE', timestamp: '2026-11-02T16:05:00+0000', shortcode: 'CzB8qN4pU5b', color: '#6d28d9' },
      { id: '17895695668004555', caption: 'First post! #hello', mediaType: 'IMAGE', timestamp: '2026-11-01T10:00:00+0000', shortcode: 'Cz9aR7qV6c1', color: '#be185d' },
    ],
  }),
  freezeUser({
    username: 'bigodd.creator',
    // Above 2^53 and odd: JSON.parse turns 17841405793187219 into 17841405793187220.
    userId: '17841405793187219',
    id: '7315485093812459',
    name: 'Big Odd Creator',
    accountType: 'MEDIA_CREATOR',
    biography: 'Testing the edges <on purpose>.',
    followersCount: 98765,
    followsCount: 12,
    media: [
      { id: '18023456789012341', caption: '<img src=x onerror=alert(1)> <b>bold</b> & "quotes"', mediaType: 'IMAGE', timestamp: '2026-10-30T20:00:00+0000', shortcode: 'CyX1bC2dE3f', color: '#0f766e' },
      { id: '18023456789012343', caption: 'Behind the scenes 🎬', mediaType: 'VIDEO', timestamp: '2026-10-29T14:30:00+0000', shortcode: 'CyV4gH5iJ6k', color: '#b91c1c' },
      { id: '18023456789012345', caption: 'Odd numbers only: 1, 3, 5, 7, 9', mediaType: 'IMAGE', timestamp: '2026-10-28T07:45:00+0000', shortcode: 'CyT7lM8nO9p', color: '#a16207' },
    ],
  }),
  freezeUser({
    username: 'small.shop',
    userId: '9876543210',
    id: '1234509876',
    name: 'Small Shop',
    accountType: 'BUSINESS',
    biography: 'Opening soon.',
    followersCount: 3,
    followsCount: 0,
    media: [],
  }),
])

export function findUser(username: string): TestUser | undefined {
  return TEST_USERS.find((u) => u.username === username)
}
