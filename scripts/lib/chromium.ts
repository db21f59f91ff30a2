import { spawn, type ChildProcess } from 'node:child_process'

/** How long a browser that exits counts as "exited at once" rather than closed by the person. */
export const EARLY_EXIT_MS = 5000

export interface OpenChromiumOptions {
  /** The Chromium binary (scripts/find-browser.ts). */
  chromium: string
  /** The unpacked extension to load. */
  extensionDir: string
  /** The profile folder; a separate one, so the person's own profile is untouched. */
  profile: string
  /** Pages to open; none lets the extension's own welcome page be the first tab. */
  urls: string[]
  /** process.getuid() === 0: Chromium refuses to start as root unless its sandbox is off. */
  root: boolean
  log: (line: string) => void
}

/**
 * Chromium's command line for `npm start` and `npm run dev`: the extension loaded on a separate
 * profile, plus `--no-sandbox` when running as root (Chromium exits at once otherwise: "Running
 * as root without --no-sandbox is not supported").
 */
export function chromiumArgs(options: Pick<OpenChromiumOptions, 'extensionDir' | 'profile' | 'urls' | 'root'>): string[] {
  return [
    `--user-data-dir=${options.profile}`,
    `--load-extension=${options.extensionDir}`,
    // Chrome 137+ ignores --load-extension unless this is off; Chromium still honours it.
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
    '--no-first-run',
    '--no-default-browser-check',
    ...(options.root ? ['--no-sandbox'] : []),
    ...options.urls,
  ]
}

/**
 * What to tell the person when Chromium exited within EARLY_EXIT_MS: its exit code or signal,
 * the last lines it wrote (its own reason), and what to do.
 */
export function earlyExitMessage(chromium: string, exit: { code: number | null; signal: NodeJS.Signals | null }, stderr: string, extensionDir: string): string {
  const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
  const reason = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-5)
  const hints = [
    /root without --no-sandbox/i.test(stderr) ? 'Chromium refuses to run as root with its sandbox on: run as a normal user, or start Chromium yourself with --no-sandbox.' : undefined,
    /Missing X server|cannot open display|Gtk-WARNING/i.test(stderr) ? 'It found no usable display: check DISPLAY (or WAYLAND_DISPLAY), or set NO_BROWSER=1.' : undefined,
    /ProcessSingleton|profile.*in use|SingletonLock/i.test(stderr) ? 'Its profile (.tmp/chromium-profile) is in use by another Chromium: close that one first.' : undefined,
  ].filter((hint): hint is string => hint !== undefined)
  return [
    `Chromium (${chromium}) ${how} within ${EARLY_EXIT_MS / 1000} s of starting, so the extension is not open in a browser.`,
    ...(reason.length > 0 ? ['Its last words:', ...reason.map((line) => `  ${line}`)] : ['It printed nothing.']),
    ...hints,
    `The server keeps running: load ${extensionDir} by hand (chrome://extensions → Developer mode → Load unpacked), set CHROMIUM_PATH to another browser, or set NO_BROWSER=1 to skip opening one.`,
  ].join('\n')
}

/**
 * Starts Chromium with the extension and watches its first seconds: a browser that exits at once
 * is reported with its reason and what to do (never "Opened Chromium" for a browser that is gone).
 */
export function openChromium(options: OpenChromiumOptions): ChildProcess {
  if (options.root) options.log('Running as root: Chromium gets --no-sandbox (it refuses to start as root otherwise). Prefer a normal user.')
  const child = spawn(options.chromium, chromiumArgs(options), { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192)
  })
  const started = Date.now()
  let announced = false
  const announce = setTimeout(() => {
    announced = true
    options.log(`Chromium (${options.chromium}) is running with the extension loaded, on a separate profile in ${options.profile}.`)
  }, EARLY_EXIT_MS)
  child.once('error', (error) => {
    clearTimeout(announce)
    options.log(`Could not start Chromium (${options.chromium}): ${error.message}. Load ${options.extensionDir} by hand, or set CHROMIUM_PATH.`)
  })
  child.once('exit', (code, signal) => {
    clearTimeout(announce)
    if (!announced && Date.now() - started < EARLY_EXIT_MS + 1000) options.log(earlyExitMessage(options.chromium, { code, signal }, stderr, options.extensionDir))
  })
  return child
}
