import { t } from '../lib/i18n'

// Material Design icons (Apache-2.0): the Extensions button's puzzle piece, the pin (Chromium)
// and the gear (Firefox's per-extension menu, which holds Pin to Toolbar).
const PUZZLE =
  'M20.5 11H19V7c0-1.1-.9-2-2-2h-4V3.5C13 2.12 11.88 1 10.5 1S8 2.12 8 3.5V5H4c-1.1 0-1.99.9-1.99 2v3.8H3.5c1.49 0 2.7 1.21 2.7 2.7s-1.21 2.7-2.7 2.7H2V20c0 1.1.9 2 2 2h3.8v-1.5c0-1.49 1.21-2.7 2.7-2.7 1.49 0 2.7 1.21 2.7 2.7V22H17c1.1 0 2-.9 2-2v-4h1.5c1.38 0 2.5-1.12 2.5-2.5S21.88 11 20.5 11z'
const GEAR =
  'M19.14 12.94c.04-.3.06-.61.06-.94 0-.32-.02-.64-.07-.94l2.03-1.58c.18-.14.23-.41.12-.61l-1.92-3.32c-.12-.22-.37-.29-.59-.22l-2.39.96c-.5-.38-1.03-.7-1.62-.94l-.36-2.54c-.04-.24-.24-.41-.48-.41h-3.84c-.24 0-.43.17-.47.41l-.36 2.54c-.59.24-1.13.57-1.62.94l-2.39-.96c-.22-.08-.47 0-.59.22L2.74 8.87c-.12.21-.08.47.12.61l2.03 1.58c-.05.3-.09.63-.09.94s.02.64.07.94l-2.03 1.58c-.18.14-.23.41-.12.61l1.92 3.32c.12.22.37.29.59.22l2.39-.96c.5.38 1.03.7 1.62.94l.36 2.54c.05.24.24.41.48.41h3.84c.24 0 .44-.17.47-.41l.36-2.54c.59-.24 1.13-.56 1.62-.94l2.39.96c.22.08.47 0 .59-.22l1.92-3.32c.12-.22.07-.47-.12-.61l-2.01-1.58zM12 15.6c-1.98 0-3.6-1.62-3.6-3.6s1.62-3.6 3.6-3.6 3.6 1.62 3.6 3.6-1.62 3.6-3.6 3.6z'
/** A site in the drawn address bar (a domain, the same in every language). */
const EXAMPLE_SITE = 'example.com'
const PIN = 'M16 9V4h1c.55 0 1-.45 1-1s-.45-1-1-1H7c-.55 0-1 .45-1 1s.45 1 1 1h1v5c0 1.66-1.34 3-3 3v2h5.97v7l1 1 1-1v-7H19v-2c-1.66 0-3-1.34-3-3z'

/** A numbered marker on the picture, matching the numbered steps beside it. */
function Marker({ x, y, n }: { x: number; y: number; n: number }) {
  return (
    <g>
      <circle cx={x} cy={y} r="11" class="pin-marker" />
      <text x={x} y={y + 4.5} text-anchor="middle" class="pin-marker-text">
        {n}
      </text>
    </g>
  )
}

/**
 * A drawing of the browser's toolbar: (1) the puzzle-piece Extensions button, (2) the pin next to
 * Instagram Connect in its menu. Colours come from the page's CSS, so it follows light and dark.
 */
export function PinPicture({ firefox }: { firefox: boolean }) {
  return (
    <svg class="pin-picture" viewBox="0 0 560 210" role="img" aria-labelledby="pin-picture-title">
      <title id="pin-picture-title">
        {t(firefox ? 'welcome_picture_firefox' : 'welcome_picture_chrome')}
      </title>
      <rect x="1" y="1" width="558" height="208" rx="12" class="pin-frame" />
      {/* toolbar */}
      <rect x="1" y="1" width="558" height="52" rx="12" class="pin-toolbar" />
      <circle cx="26" cy="27" r="6" class="pin-dot" />
      <circle cx="46" cy="27" r="6" class="pin-dot" />
      <rect x="72" y="12" width="320" height="30" rx="15" class="pin-address" />
      <text x="92" y="32" class="pin-address-text">
        {EXAMPLE_SITE}
      </text>
      <circle cx="440" cy="27" r="19" class="pin-highlight" />
      <path d={PUZZLE} transform="translate(428 15)" class="pin-icon" />
      <circle cx="496" cy="27" r="13" class="pin-dot" />
      <Marker x={463} y={11} n={1} />
      {/* the Extensions menu */}
      <rect x="262" y="62" width="284" height="134" rx="10" class="pin-menu" />
      <text x="280" y="88" class="pin-menu-title">
        {t('welcome_extensions_button')}
      </text>
      <rect x="272" y="104" width="264" height="44" rx="8" class="pin-row" />
      {/* The extension's own icon, as the menu shows it. */}
      <image href="/icons/icon-48.png" x="284" y="114" width="24" height="24" />
      <text x="320" y="131" class="pin-row-text">
        {t('ext_name')}
      </text>
      <circle cx="508" cy="126" r="17" class="pin-highlight" />
      <path d={firefox ? GEAR : PIN} transform="translate(496 114)" class="pin-icon" />
      <Marker x={530} y={108} n={2} />
      <rect x="284" y="160" width="150" height="10" rx="5" class="pin-dot" />
      <rect x="284" y="178" width="110" height="10" rx="5" class="pin-dot" />
    </svg>
  )
}
