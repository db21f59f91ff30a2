import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { pageScripts, POPUP_JS_BUDGET_BYTES, totalGzipBytes } from './popup-scripts'

const BUILD_DIR = resolve('dist/chrome')

/** Issue 7, row 4: a size budget, deterministic, so it is a test (the timings are in `npm run bench`). */
it(`dist/chrome/popup.html loads at most ${POPUP_JS_BUDGET_BYTES} bytes of gzipped JavaScript`, () => {
  if (!existsSync(resolve(BUILD_DIR, 'popup.html'))) {
    throw new Error(`${BUILD_DIR}/popup.html is missing: run \`npm run build\` first (\`npm test\` does).`)
  }
  const scripts = pageScripts(BUILD_DIR, 'popup.html')
  const report = scripts.map((s) => `${s.file}: ${s.gzipBytes} B gzip (${s.bytes} B)`).join('\n')
  expect(scripts.length, 'popup.html loads no script at all').toBeGreaterThan(0)
  expect(totalGzipBytes(scripts), `popup scripts, gzip -6:\n${report}\nSee BENCHMARKS.md, row 4, for what is in them.`).toBeLessThanOrEqual(POPUP_JS_BUDGET_BYTES)
})
