/**
 * The pieces `npm start` (scripts/start.ts) and `npm run dev` (scripts/dev.ts) share: the
 * environment, the exchange server and — without Instagram credentials — the emulator, wired
 * together (demo mode); what to print; Chromium where a display exists.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { loadConfig, type Env, type ServerConfig } from '../../server/config'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../../server/emulator'
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../../server/extension-ids'
import { startServer, type RunningServer } from '../../server/start'
import { DEFAULT_SERVER_URL } from '../../src/lib/storage'
import { findChromium } from '../find-browser'
import { openChromium } from './chromium'

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

/** Prints `message` and exits 1. */
export function fail(message: string): never {
  console.error(`\n${message}\n`)
  process.exit(1)
}

/** The environment (and `.env`); demo mode when neither Instagram credential is set. Refuses half a set. */
export function readEnv(): { env: Env; demo: boolean } {
  if (existsSync('.env')) process.loadEnvFile('.env')
  const env: Env = { ...process.env }
  const demo = !env.IG_CLIENT_ID && !env.IG_CLIENT_SECRET
  if (!demo && (!env.IG_CLIENT_ID || !env.IG_CLIENT_SECRET)) {
    fail('Set both IG_CLIENT_ID and IG_CLIENT_SECRET (in the environment or .env) to use real Instagram, or neither for demo mode.')
  }
  return { env, demo }
}

export interface Services {
  demo: boolean
  config: ServerConfig
  server: RunningServer
  emulator: RunningEmulator | undefined
  close(): Promise<void>
}

function portMessage(error: unknown, what: string, variable: string, port: string): never {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') {
    fail(`Port ${port} is already in use, so the ${what} cannot start. Stop what is using it (is another \`npm start\` or \`npm run dev\` running?) or set ${variable} to a free port.`)
  }
  fail(`The ${what} could not start: ${code ?? String(error)}`)
}

/** The emulator (demo mode, on EMULATOR_PORT) and the exchange server (HOST/PORT) wired to it. Exits 1 with a clear line when a port is taken or a setting is bad. */
export async function startServices(env: Env, demo: boolean): Promise<Services> {
  let emulator: RunningEmulator | undefined
  if (demo) {
    const emulatorPort = env.EMULATOR_PORT ?? '8788'
    try {
      emulator = await startEmulator({ host: '127.0.0.1', port: Number(emulatorPort) })
    } catch (error) {
      portMessage(error, 'Instagram emulator', 'EMULATOR_PORT', emulatorPort)
    }
    Object.assign(env, serverEnvFor(emulator))
  }
  const result = loadConfig(env)
  if (!result.ok) fail(`The exchange server cannot start; fix these settings (environment or .env):\n  ${result.errors.join('\n  ')}`)
  let server: RunningServer
  for (const warning of result.warnings) console.log(`  server: ${warning}`)
  try {
    server = await startServer(result.config, { log: (line) => console.log(`  server: ${line}`) })
  } catch (error) {
    await emulator?.close()
    portMessage(error, 'exchange server', 'PORT', String(result.config.port))
  }
  return {
    demo,
    config: result.config,
    server,
    emulator,
    close: async () => {
      await Promise.all([server.close(), emulator?.close()])
    },
  }
}

/** What `npm start` and `npm run dev` print once everything runs: mode, URLs, folders, redirect URLs, test users, next steps. */
export function summary(services: Services, folders: string[]): string {
  const { demo, config, server, emulator } = services
  return [
    '',
    demo
      ? bold('*** DEMO MODE: no IG_CLIENT_ID/IG_CLIENT_SECRET set, so a local Instagram emulator stands in for Instagram. ***')
      : bold(`Using real Instagram (${config.api}) with app id ${config.clientId}.`),
    '',
    `Exchange server:   ${server.url}`,
    ...(emulator ? [`Instagram emulator: ${emulator.url}  (fake accounts, nothing leaves this machine)`] : []),
    ...folders,
    '',
    "Redirect URLs (register both with your Instagram app; they are the server's default ALLOWED_REDIRECT_URIS):",
    `  Chrome:  ${CHROME_REDIRECT_URI}`,
    `  Firefox: ${FIREFOX_REDIRECT_URI}`,
    ...(emulator
      ? ['', "Test users on the emulator's consent page:", ...emulator.users.map((u) => `  @${u.username.padEnd(16)} ${u.accountType.padEnd(14)} id ${u.userId}`)]
      : []),
    '',
    // The extension's default server URL is the default port's; any other needs saving in Options.
    ...(server.url === DEFAULT_SERVER_URL
      ? []
      : [`The extension looks for the server at ${DEFAULT_SERVER_URL}: open its Options and save ${server.url} as the server URL.`]),
    'Next: click the Instagram Connect button in the browser toolbar, then Connect Instagram.',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n')
}

/**
 * Opens Chromium with `extensionDir` where a display exists (not with NO_BROWSER=1 or in CI).
 * The welcome page comes from the extension itself: Chromium installs an extension loaded with
 * `--load-extension` afresh on every launch, kept profile or not, so it opens it every time
 * (opening it here too made two welcome tabs from the second run on: newcomer review).
 */
export function openBrowser(env: Env, extensionDir: string): ChildProcess | undefined {
  const hasDisplay = Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) && env.NO_BROWSER !== '1' && env.CI !== 'true'
  if (!hasDisplay) {
    console.log(`No display (or NO_BROWSER=1): no browser opened. Load ${extensionDir} in Chromium yourself (chrome://extensions → Developer mode → Load unpacked).`)
    return undefined
  }
  const chromium = findChromium()
  if (chromium === undefined) {
    console.log('No Chromium found to open; install it (Debian: sudo apt-get install chromium) or load the extension folder above by hand.')
    return undefined
  }
  const profile = resolve('.tmp/chromium-profile')
  mkdirSync(profile, { recursive: true })
  return openChromium({
    chromium,
    extensionDir,
    profile,
    urls: [],
    root: process.getuid?.() === 0,
    log: (line) => console.log(line),
  })
}
