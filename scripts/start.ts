/**
 * `npm start`: build the extension, start the exchange server and — without Instagram
 * credentials — the Instagram emulator, wired together (demo mode). Opens Chromium with the
 * extension where a display exists. Ctrl-C stops everything.
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fail, openBrowser, readEnv, startServices, summary } from './lib/services'

const { env, demo } = readEnv()

// SKIP_BUILD=1 reuses dist/ as it is (the test suite, which has just built it, sets it).
if (env.SKIP_BUILD !== '1') {
  console.log('Building the extension for Chromium and Firefox (npm run build)…')
  for (const mode of ['production', 'firefox']) {
    const build = spawnSync(resolve('node_modules/.bin/vite'), ['build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' })
    if (build.status !== 0) fail('The extension build failed; see the messages above.')
  }
}

const services = await startServices(env, demo)
let browser: ChildProcess | undefined

async function stop(): Promise<never> {
  browser?.kill('SIGTERM')
  await services.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())

const chromeDir = resolve('dist/chrome')
console.log(
  summary(services, [
    `Extension folder:  ${chromeDir}  (Chromium/Chrome/Edge: chrome://extensions → Developer mode → Load unpacked)`,
    ...(existsSync('dist/firefox') ? [`Firefox build:     ${resolve('dist/firefox')}  (about:debugging → This Firefox → Load Temporary Add-on → manifest.json)`] : []),
  ]),
)
browser = openBrowser(env, chromeDir)
