/**
 * The emulator's test users: frozen data, shaped like the Graph fields they feed. Each has three
 * distinct ids, as a real account does (SPEC "Two families of ids"; INSTAGRAM-TODAY.md §4):
 * - `id`: the app-scoped id, the code exchange's `user_id` and Instagram Login's `/me` `id`;
 * - `userId`: the professional account id, Instagram Login's `/me` `user_id` (webhooks, `/<IG_ID>`);
 * - `legacyId`: `legacy_instagram_user_id`, the id Basic Display answered with.
 * Several are JSON numbers above 2^53 on the wire, one of them odd.
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
  /** A video with licensed audio: Instagram omits its `media_url` (INSTAGRAM-TODAY.md §5). */
  readonly licensedAudio?: boolean
  /** No `thumbnail_url` either (a video the extension must show as a placeholder). */
  readonly noThumbnail?: boolean
}

export interface TestUser {
  readonly username: string
  /** Exact decimal string; may exceed Number.MAX_SAFE_INTEGER. */
  readonly userId: string
  /** App-scoped id (a different numeric string). */
  readonly id: string
  /** The Basic Display id (`legacy_instagram_user_id`), a third number. */
  readonly legacyId: string
  readonly name: string
  /** false: `/me` has no `profile_picture_url` (the account has no picture). */
  readonly hasProfilePicture: boolean
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
    id: '28978671838402974',
    legacyId: '5793187218',
    name: 'Jay Posiris',
    hasProfilePicture: true,
    accountType: 'BUSINESS',
    biography: 'Coffee, cameras and the occasional sunset.',
    followersCount: 1284,
    followsCount: 311,
    media: [
      { id: '17895695668004550', caption: 'Morning espresso ☕', mediaType: 'IMAGE', timestamp: '2026-11-06T08:15:00+0000', shortcode: 'CzJ1aB2kQ1x', color: '#c2410c' },
      { id: '17895695668004551', caption: 'Harbour at dusk', mediaType: 'IMAGE', timestamp: '2026-11-05T18:42:00+0000', shortcode: 'CzH7pQ3lR2y', color: '#1d4ed8' },
      { id: '17895695668004552', caption: 'Roasting day — a short clip', mediaType: 'VIDEO', timestamp: '2026-11-04T12:00:00+0000', shortcode: 'CzF2kL9mS3z', color: '#7c2d12', licensedAudio: true },
      { id: '17895695668004553', caption: 'Three cups, three origins', mediaType: 'CAROUSEL_ALBUM', timestamp: '2026-11-03T09:30:00+0000', shortcode: 'CzD5nM1oT4a', color: '#15803d' },
      { id: '17895695668004554', caption: '', mediaType: 'IMAGE', timestamp: '2026-11-02T16:05:00+0000', shortcode: 'CzB8qN4pU5b', color: '#6d28d9' },
      { id: '17895695668004555', caption: 'First post! #hello', mediaType: 'IMAGE', timestamp: '2026-11-01T10:00:00+0000', shortcode: 'Cz9aR7qV6c1', color: '#be185d' },
    ],
  }),
  freezeUser({
    username: 'bigodd.creator',
    // Above 2^53 and odd: JSON.parse turns 17841405793187219 into 17841405793187220.
    userId: '17841405793187219',
    id: '27640875392278831',
    legacyId: '4057931872',
    name: 'Big Odd Creator',
    hasProfilePicture: true,
    accountType: 'MEDIA_CREATOR',
    biography: 'Testing the edges <on purpose>.',
    followersCount: 98765,
    followsCount: 12,
    media: [
      { id: '18023456789012341', caption: '<img src=x onerror=alert(1)> <b>bold</b> & "quotes"', mediaType: 'IMAGE', timestamp: '2026-10-30T20:00:00+0000', shortcode: 'CyX1bC2dE3f', color: '#0f766e' },
      { id: '18023456789012343', caption: 'Behind the scenes 🎬', mediaType: 'VIDEO', timestamp: '2026-10-29T14:30:00+0000', shortcode: 'CyV4gH5iJ6k', color: '#b91c1c', licensedAudio: true, noThumbnail: true },
      { id: '18023456789012345', caption: 'Odd numbers only: 1, 3, 5, 7, 9', mediaType: 'IMAGE', timestamp: '2026-10-28T07:45:00+0000', shortcode: 'CyT7lM8nO9p', color: '#a16207' },
    ],
  }),
  freezeUser({
    username: 'small.shop',
    userId: '9876543210',
    id: '1234509876',
    legacyId: '5432109876',
    name: 'Small Shop',
    hasProfilePicture: false,
    accountType: 'BUSINESS',
    biography: 'Opening soon.',
    followersCount: 3,
    followsCount: 0,
    media: [],
  }),
  freezeUser({
    username: 'many.posts',
    userId: '17841400000000001',
    id: '26000000000000003',
    legacyId: '6000000001',
    name: 'Many Posts',
    hasProfilePicture: true,
    accountType: 'MEDIA_CREATOR',
    biography: 'More posts than one page holds.',
    followersCount: 4321,
    followsCount: 99,
    // 30 posts, newest first: more than Graph's default page of 25.
    media: Array.from({ length: 30 }, (_, i) => ({
      id: `1790000000000${String(1000 - i)}`,
      caption: `Post number ${30 - i}`,
      mediaType: 'IMAGE' as const,
      timestamp: new Date(Date.UTC(2026, 9, 30 - i, 12)).toISOString().replace(/\.000Z$/, '+0000'),
      shortcode: `Cm${String(30 - i).padStart(3, '0')}postX`,
      color: `hsl(${(i * 37) % 360},60%,40%)`,
    })),
  }),
])

export function findUser(username: string): TestUser | undefined {
  return TEST_USERS.find((u) => u.username === username)
}
