/**
 * `npm start`: build the extension, start the exchange server and — without Instagram
 * credentials — the Instagram emulator, wired together (demo mode). Opens Chromium with the
 * extension where a display exists. Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadConfig, type Env } from '../server/config'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../server/emulator'
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../server/extension-ids'
import { startServer, type RunningServer } from '../server/start'
import { findChromium } from './find-browser'

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

function fail(message: string): never {
  console.error(`\n${message}\n`)
  process.exit(1)
}

if (existsSync('.env')) process.loadEnvFile('.env')
const env: Env = { ...process.env }
const demo = !env.IG_CLIENT_ID && !env.IG_CLIENT_SECRET
if (!demo && (!env.IG_CLIENT_ID || !env.IG_CLIENT_SECRET)) {
  fail('Set both IG_CLIENT_ID and IG_CLIENT_SECRET (in the environment or .env) to use real Instagram, or neither for demo mode.')
}

// SKIP_BUILD=1 reuses dist/ as it is (the test suite, which has just built it, sets it).
if (env.SKIP_BUILD !== '1') {
  console.log('Building the extension for Chromium and Firefox (npm run build)…')
  for (const mode of ['production', 'firefox']) {
    const build = spawnSync(resolve('node_modules/.bin/vite'), ['build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' })
    if (build.status !== 0) fail('The extension build failed; see the messages above.')
  }
}

let emulator: RunningEmulator | undefined
let server: RunningServer | undefined
let browser: ChildProcess | undefined

async function stop(exitCode = 0): Promise<never> {
  browser?.kill('SIGTERM')
  await Promise.all([server?.close(), emulator?.close()])
  process.exit(exitCode)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())

function portMessage(error: unknown, what: string, variable: string, port: string): never {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') {
    fail(`Port ${port} is already in use, so the ${what} cannot start. Stop what is using it (is another \`npm start\` running?) or set ${variable} to a free port.`)
  }
  fail(`The ${what} could not start: ${code ?? String(error)}`)
}

if (demo) {
  const emulatorPort = env.EMULATOR_PORT ?? '8788'
  try {
    emulator = await startEmulator({ host: '127.0.0.1', port: Number(emulatorPort) })
  } catch (error) {
    portMessage(error, 'Instagram emulator', 'EMULATOR_PORT', emulatorPort)
  }
  Object.assign(env, {
    ...serverEnvFor(emulator),
  })
}

const result = loadConfig(env)
if (!result.ok) fail(`The exchange server cannot start; fix these settings (environment or .env):\n  ${result.errors.join('\n  ')}`)
for (const warning of result.warnings) console.log(`  server: ${warning}`)
try {
  server = await startServer(result.config, { log: (line) => console.log(`  server: ${line}`) })
} catch (error) {
  await emulator?.close()
  portMessage(error, 'exchange server', 'PORT', String(result.config.port))
}

const chromeDir = resolve('dist/chrome')
const lines = [
  '',
  demo
    ? bold('*** DEMO MODE: no IG_CLIENT_ID/IG_CLIENT_SECRET set, so a local Instagram emulator stands in for Instagram. ***')
    : bold(`Using real Instagram (${result.config.api}) with app id ${result.config.clientId}.`),
  '',
  `Exchange server:   ${server.url}`,
  ...(emulator ? [`Instagram emulator: ${emulator.url}  (fake accounts, nothing leaves this machine)`] : []),
  `Extension folder:  ${chromeDir}  (Chromium/Chrome/Edge: chrome://extensions → Developer mode → Load unpacked)`,
  ...(existsSync('dist/firefox') ? [`Firefox build:     ${resolve('dist/firefox')}  (about:debugging → This Firefox → Load Temporary Add-on → manifest.json)`] : []),
  '',
  'Redirect URLs (register both with your Instagram app; they are the server\'s default ALLOWED_REDIRECT_URIS):',
  `  Chrome:  ${CHROME_REDIRECT_URI}`,
  `  Firefox: ${FIREFOX_REDIRECT_URI}`,
  ...(emulator
    ? ['', 'Test users on the emulator\'s consent page:', ...emulator.users.map((u) => `  @${u.username.padEnd(16)} ${u.accountType.padEnd(14)} id ${u.userId}`)]
    : []),
  '',
  'Next: click the Instagram Connect button in the browser toolbar, then Connect Instagram.',
  'Press Ctrl-C to stop.',
  '',
]
console.log(lines.join('\n'))

const hasDisplay = Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) && env.NO_BROWSER !== '1' && env.CI !== 'true'
const chromium = findChromium()
if (hasDisplay && chromium) {
  const profile = resolve('.tmp/chromium-profile')
  mkdirSync(profile, { recursive: true })
  browser = spawn(
    chromium,
    [
      `--user-data-dir=${profile}`,
      `--load-extension=${chromeDir}`,
      // Chrome 137+ ignores --load-extension unless this is off; Chromium still honours it.
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
      '--no-first-run',
      '--no-default-browser-check',
      `${server.url}/health`,
    ],
    { stdio: 'ignore' },
  )
  browser.on('error', () => console.log('Could not open Chromium; load the extension folder above by hand.'))
  console.log(`Opened Chromium (${chromium}) with the extension loaded, on a separate profile in .tmp/chromium-profile.`)
} else if (hasDisplay) {
  console.log('No Chromium found to open; install it (Debian: sudo apt-get install chromium) or load the extension folder above by hand.')
}
