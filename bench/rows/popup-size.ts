import { pageScripts, POPUP_JS_BUDGET_BYTES, totalGzipBytes } from '../../test/budget/popup-scripts'
import type { RowResult } from '../lib/report'

/** Row 4: the same measurement as the budget test (test/budget/popup-size.test.ts), on a fresh build. */
export function popupSize(buildDir: string): RowResult {
  const scripts = pageScripts(buildDir, 'popup.html')
  const total = totalGzipBytes(scripts)
  const raw = scripts.reduce((sum, s) => sum + s.bytes, 0)
  return {
    id: 4,
    title: 'Popup JavaScript',
    how:
      'a fresh `vite build` (the Chromium build); every script `popup.html` loads: its `<script src>` and ' +
      'modulepreload files and, transitively, their static imports (from esbuild\'s metafile), each gzipped ' +
      'at gzip\'s default level 6. Also a test: `test/budget/popup-size.test.ts` fails above the budget.',
    figures: [
      {
        label: `gzip bytes of ${scripts.length} scripts (${raw.toLocaleString('en')} bytes raw)`,
        measured: `${total.toLocaleString('en')} B`,
        target: `≤ 10 KB (${POPUP_JS_BUDGET_BYTES.toLocaleString('en')} B)`,
        pass: total <= POPUP_JS_BUDGET_BYTES,
      },
    ],
    notes: [
      ['| script | bytes | gzip |', '|---|---|---|', ...scripts.map((s) => `| \`${s.file}\` | ${s.bytes.toLocaleString('en')} | ${s.gzipBytes.toLocaleString('en')} |`)].join('\n'),
    ],
  }
}
