/**
 * Instagram's endpoints and defaults for the two APIs the server speaks (SPEC "Instagram, as it
 * is today"). Basic Display was shut down on 2024-12-04; it stays for compatible providers and
 * the emulator.
 */
export type InstagramApi = 'instagram-login' | 'basic-display'

export const INSTAGRAM_APIS: readonly InstagramApi[] = ['instagram-login', 'basic-display']


interface ApiDefaults {
  authorizeUrl: string
  tokenUrl: string
  graphUrl: string
  scopes: readonly string[]
  /** Fields asked of `/me`; Instagram Login calls the account id `user_id` and the app-scoped one `id`. */
  profileFields: readonly string[]
  /** Asked again with only these when `/me` fails with code 100 (a field not available for this account). */
  minimalProfileFields: readonly string[]
  /** Whether graph paths carry the `/vNN.N` version segment. */
  versioned: boolean
}

export const API_DEFAULTS: Readonly<Record<InstagramApi, ApiDefaults>> = Object.freeze({
  'instagram-login': {
    authorizeUrl: 'https://www.instagram.com/oauth/authorize',
    tokenUrl: 'https://api.instagram.com/oauth/access_token',
    graphUrl: 'https://graph.instagram.com',
    scopes: ['instagram_business_basic'],
    profileFields: [
      'id',
      'user_id',
      'username',
      'name',
      'account_type',
      'profile_picture_url',
      'media_count',
      'followers_count',
      'follows_count',
    ],
    minimalProfileFields: ['id', 'user_id', 'username'],
    versioned: true,
  },
  'basic-display': {
    authorizeUrl: 'https://api.instagram.com/oauth/authorize',
    tokenUrl: 'https://api.instagram.com/oauth/access_token',
    graphUrl: 'https://graph.instagram.com',
    scopes: ['user_profile', 'user_media'],
    profileFields: ['id', 'username', 'account_type', 'media_count'],
    minimalProfileFields: ['id', 'username'],
    versioned: false,
  },
})

export const MEDIA_FIELDS: readonly string[] = [
  'id',
  'caption',
  'media_type',
  'media_url',
  'permalink',
  'thumbnail_url',
  'timestamp',
]

/** Short-lived tokens last one hour; Instagram's code exchange does not say so itself. */
export const SHORT_LIVED_SECONDS = 3600
