import type { Profile } from '../lib/api'
import { accountTypeLabel, count, safeUrl } from './format'

/** The profile picture over its initial (shown while it loads, or if it fails); decorative. */
export function Avatar({ profile }: { profile: Profile }) {
  const src = safeUrl(profile.profile_picture_url)
  const initial = profile.username.charAt(0).toUpperCase()
  return (
    <div class="avatar" aria-hidden="true">
      <span class="avatar-initial">{initial}</span>
      {src !== undefined && (
        <img
          src={src}
          alt=""
          width={64}
          height={64}
          referrerpolicy="no-referrer"
          onError={(e) => {
            e.currentTarget.hidden = true
          }}
        />
      )}
    </div>
  )
}

/** Picture, `@username`, name, account type and counts; text only, never markup. */
export function ProfileCard({ profile }: { profile: Profile }) {
  const type = accountTypeLabel(profile.account_type)
  return (
    <section class="profile" aria-label="Instagram profile">
      <div class="profile-head">
        <Avatar profile={profile} />
        <div class="profile-names">
          <h1 class="handle">@{profile.username}</h1>
          <p class="name">{profile.name ?? '\u00a0'}</p>
          <p class="badges">
            {type !== undefined ? <span class="badge">{type} account</span> : <span class="badge badge-empty">&nbsp;</span>}
          </p>
        </div>
      </div>
      <dl class="stats">
        <div>
          <dt>posts</dt>
          <dd>{count(profile.media_count)}</dd>
        </div>
        <div>
          <dt>followers</dt>
          <dd>{count(profile.followers_count)}</dd>
        </div>
        <div>
          <dt>following</dt>
          <dd>{count(profile.follows_count)}</dd>
        </div>
      </dl>
    </section>
  )
}
