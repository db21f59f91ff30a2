import type { Profile } from '../lib/api'
import { plural, t } from '../lib/i18n'
import { focusHeadingOnMount } from './focus'
import { accountTypeLabel, count, safeUrl } from './format'

/** The profile picture over its initial (shown while it loads, or if it fails); decorative. Loaded lazily: requested once the first frame is painted. */
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
          // Requested after the first paint, not while rendering it (issue 18: about 4 ms of the popup's first frame).
          loading="lazy"
          onError={(e) => {
            e.currentTarget.hidden = true
          }}
        />
      )}
    </div>
  )
}

/**
 * Picture, `@username`, name, account type and counts; text only, never markup. With `focus`,
 * the `@username` heading takes the focus when it appears (the connected state's start).
 */
export function ProfileCard({ profile, focus = false }: { profile: Profile; focus?: boolean }) {
  const type = accountTypeLabel(profile.account_type)
  return (
    <section class="profile" aria-label={t('profile_label')}>
      <div class="profile-head">
        <Avatar profile={profile} />
        <div class="profile-names">
          <h1 class="handle" tabIndex={-1} ref={focus ? focusHeadingOnMount : undefined}>
            @{profile.username}
          </h1>
          <p class="name">{profile.name ?? '\u00a0'}</p>
          <p class="badges">
            {type !== undefined ? <span class="badge">{type}</span> : <span class="badge badge-empty">&nbsp;</span>}
          </p>
        </div>
      </div>
      <dl class="stats">
        <div>
          <dt>{t(plural('stat_posts', profile.media_count ?? 0))}</dt>
          <dd>{count(profile.media_count)}</dd>
        </div>
        <div>
          <dt>{t(plural('stat_followers', profile.followers_count ?? 0))}</dt>
          <dd>{count(profile.followers_count)}</dd>
        </div>
        <div>
          <dt>{t('stat_following')}</dt>
          <dd>{count(profile.follows_count)}</dd>
        </div>
      </dl>
    </section>
  )
}
