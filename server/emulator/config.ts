import { DEFAULT_REDIRECT_URIS } from '../extension-ids'
import { PICTURES_PATH } from './pictures'
import type { MeShape, PermissionsAs, TokenShape } from './state'
import { findUser, TEST_USERS } from './users'
import type { TestUser } from './users'

/** The emulator's settings and fixed tables, shared by its route files (./authorize, ./token, ./graph, ./admin). */

export const DEFAULT_CLIENT_ID = '990602627938098'
export const DEFAULT_CLIENT_SECRET = 'emulator-secret-5f2b7c1e9a'
export const DEFAULT_APP_NAME = 'Instagram Connect'

/** Every path the emulator serves, in one place. Graph paths are also served under `/vNN.N`. */
export const EMULATOR_PATHS = Object.freeze({
  authorize: '/oauth/authorize',
  authorizeDecision: '/oauth/authorize/decision',
  token: '/oauth/access_token',
  longLived: '/access_token',
  refresh: '/refresh_access_token',
  profile: '/me',
  media: '/me/media',
  userNode: '/:node{[0-9]+}',
  userMedia: '/:node{[0-9]+}/media',
  graphVersionPrefix: '/:version{v[0-9]+\\.[0-9]+}',
  admin: '/__emulator',
  pictures: PICTURES_PATH,
})

/** Scopes of both APIs (Instagram Login and the retired Basic Display). */
export const KNOWN_SCOPES: readonly string[] = Object.freeze([
  'instagram_business_basic',
  'instagram_business_content_publish',
  'instagram_business_manage_messages',
  'instagram_business_manage_comments',
  'instagram_business_manage_insights',
  'user_profile',
  'user_media',
])

export interface EmulatorOptions {
  clientId?: string
  clientSecret?: string
  /** Registered redirect URIs, matched exactly. Default: the extension's two. */
  redirectUris?: readonly string[]
  /** Code-exchange success body: flat `{access_token,…}` (default, as Instagram sends it) or `{data:[{…}]}`. */
  tokenShape?: TokenShape
  /** Default: an array for `flat`, a string for `wrapped`. */
  permissionsAs?: PermissionsAs
  /** `/me`: flat (default, as Instagram sends it) or wrapped in `{"data":[…]}` (Meta's docs). */
  meShape?: MeShape
  /** A username: `/oauth/authorize` redirects at once as that user (benchmarks). */
  autoApprove?: string | false
  /** Every upstream call waits this long first. */
  latencyMs?: number
  now?: () => number
  appName?: string
  /** One line per request (method, path, status, ms). Never given codes or tokens. */
  log?: (line: string) => void
}

export interface EmulatorConfig {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUris: readonly string[]
  readonly appName: string
  readonly users: readonly TestUser[]
}

/** Checks the options (a TypeError naming the bad one) and freezes the fixed part of the configuration. */
export function emulatorConfig(options: EmulatorOptions): EmulatorConfig {
  if (options.redirectUris !== undefined && options.redirectUris.length === 0) {
    throw new TypeError('EmulatorOptions.redirectUris must list at least one redirect URI')
  }
  if (options.autoApprove && !findUser(options.autoApprove)) {
    throw new TypeError(`EmulatorOptions.autoApprove: no test user "${options.autoApprove}"`)
  }
  if (options.latencyMs !== undefined && !(options.latencyMs >= 0)) {
    throw new TypeError('EmulatorOptions.latencyMs must be a non-negative number')
  }
  return Object.freeze({
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    redirectUris: Object.freeze([...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)]),
    appName: options.appName ?? DEFAULT_APP_NAME,
    users: TEST_USERS,
  })
}
