import type { MediaItem } from '../lib/api'
import { t } from '../lib/i18n'
import { safeUrl } from './format'

export const GRID_SIZE = 6

/**
 * The picture a tile shows: a video's `thumbnail_url` (its `media_url` is the video itself, and
 * is omitted for videos with licensed audio), a photo's or album's `media_url`, else its
 * `thumbnail_url`; undefined when there is none, and the tile shows a placeholder.
 */
export function pictureOf(item: MediaItem): string | undefined {
  if (item.media_type === 'VIDEO') return safeUrl(item.thumbnail_url)
  return safeUrl(item.media_url) ?? safeUrl(item.thumbnail_url)
}

const kindOf = (item: MediaItem) => t(item.media_type === 'VIDEO' ? 'media_video' : item.media_type === 'CAROUSEL_ALBUM' ? 'media_album' : 'media_photo')

function describe(item: MediaItem): string {
  const kind = kindOf(item)
  const caption = item.caption?.trim() ?? ''
  if (caption === '') return t('media_no_caption', kind)
  return t('media_caption', kind, caption.length > 120 ? `${caption.slice(0, 119)}…` : caption)
}

function Tile({ item }: { item: MediaItem }) {
  const src = pictureOf(item)
  const href = safeUrl(item.permalink)
  const label = describe(item)
  // The placeholder lies under the picture: a picture that fails to load hides itself, so the
  // tile never shows a broken image.
  const picture = (
    <>
      <span class="tile-placeholder" aria-hidden="true">
        {kindOf(item)}
      </span>
      {src !== undefined && (
        <img
          src={src}
          alt=""
          loading="lazy"
          decoding="async"
          referrerpolicy="no-referrer"
          onError={(e) => {
            e.currentTarget.hidden = true
          }}
        />
      )}
    </>
  )
  return href !== undefined ? (
    <a class="tile" data-type={item.media_type} data-picture={src === undefined ? 'none' : 'image'} href={href} target="_blank" rel="noopener noreferrer" title={label} aria-label={t('media_opens', label)}>
      {picture}
    </a>
  ) : (
    <div class="tile" data-type={item.media_type} data-picture={src === undefined ? 'none' : 'image'} role="img" title={label} aria-label={label}>
      {picture}
    </div>
  )
}

/**
 * The recent posts as a 3×2 grid. The grid keeps its size while loading (placeholder tiles),
 * so nothing below it moves when `/me/media` answers.
 */
export function MediaGrid({ media, loading }: { media: MediaItem[] | null; loading: boolean }) {
  return (
    <section class="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('recent_posts')}</h2>
      {media !== null && media.length === 0 ? (
        <div class="grid grid-empty">
          <p class="muted">{t('no_posts')}</p>
        </div>
      ) : (
        <ul class="grid" aria-busy={media === null && loading}>
          {Array.from({ length: GRID_SIZE }, (_, i) => {
            const item = media?.[i]
            // An empty slot is only there for the grid's shape: screen readers skip it (newcomer review).
            return <li key={item?.id ?? `slot-${i}`} aria-hidden={item === undefined ? 'true' : undefined}>{item !== undefined ? <Tile item={item} /> : <div class={media === null && loading ? 'tile tile-loading' : 'tile tile-none'} />}</li>
          })}
        </ul>
      )}
    </section>
  )
}
