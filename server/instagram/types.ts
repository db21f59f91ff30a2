/** Instagram's wire types, kept in its snake_case. */

/** `POST /oauth/access_token` success, flat form. `user_id` may be a number above 2^53. */
export interface CodeExchangeItem {
  access_token: string
  user_id: string | number
  permissions?: string | string[]
}

/** The same, wrapped in `data` (Instagram API with Instagram Login docs). */
export interface WrappedCodeExchange {
  data: CodeExchangeItem[]
}

/** `{"error_type":"OAuthException","code":400,"error_message":"…"}` */
export interface OAuthErrorBody {
  error_type: string
  code: number
  error_message: string
}

/** `{"error":{"message","type","code","error_subcode","fbtrace_id"}}` */
export interface GraphErrorBody {
  error: { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean; fbtrace_id?: string }
}

/** `ig_exchange_token` and `ig_refresh_token` success. */
export interface TokenGrant {
  access_token: string
  token_type?: string
  expires_in: number
}

/** What the server keeps of a code exchange. */
export interface ShortLivedToken {
  accessToken: string
  userId: string
  permissions: string[]
}

export interface LongLivedToken {
  accessToken: string
  tokenType: string
  expiresIn: number
}

/**
 * The profile the server answers with: `id` is the professional account id (Instagram Login's
 * `/me` `user_id`; Basic Display's `/me` `id`) and `app_scoped_id` the app-scoped `/me` `id`
 * where Instagram gives both; exact decimal strings.
 */
export interface Profile {
  id: string
  username: string
  app_scoped_id?: string
  name?: string
  account_type?: string
  profile_picture_url?: string
  media_count?: number
  followers_count?: number
  follows_count?: number
}

export interface MediaItem {
  id: string
  media_type: string
  /** Omitted by Instagram for videos with licensed audio. */
  media_url?: string
  permalink: string
  thumbnail_url?: string
  caption?: string
  timestamp: string
}
