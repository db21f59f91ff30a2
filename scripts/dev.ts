/**
 * `npm run dev`: the extension through @crxjs's Vite dev server (popup, options and welcome page
 * update in place as their sources change; a change to the worker reloads the extension), the
 * exchange server and — without Instagram credentials — the emulator (demo mode, as `npm start`),
 * and Chromium with the dev build where a display exists. Ctrl-C stops everything.
 *
 * The dev build goes to dist/dev/ (never over dist/chrome/); it loads its code from the dev
 * server on http://localhost:DEV_PORT (default 5173), so it works only while this runs.
 */
import { copyFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { fail, openBrowser, readEnv, startServices, summary } from './lib/services'

const { env, demo } = readEnv()
const devPort = env.DEV_PORT ?? '5173'
// vite.config.ts reads it: crxjs writes the port into the dev build.
process.env.DEV_PORT = devPort
const devDir = resolve('dist/dev')

const { createServer } = await import('vite')
const vite = await createServer({ configFile: resolve('vite.config.ts'), mode: 'development' })
try {
  await vite.listen()
} catch (error) {
  await vite.close()
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || /already in use/i.test(String(error))) {
    fail(`Port ${devPort} is already in use, so the Vite dev server cannot start. Stop what is using it (another \`npm run dev\`?) or set DEV_PORT to a free port.`)
  }
  throw error
}

// crxjs writes the dev build once the server listens. It writes a page that waits for the dev
// server only for the pages the manifest names; the welcome page, which the worker opens on
// install, gets the same page (it reloads itself from the dev server once that answers).
const deadline = Date.now() + 30_000
while (!existsSync(join(devDir, 'manifest.json')) || !existsSync(join(devDir, 'popup.html'))) {
  if (Date.now() > deadline) fail(`The dev build did not appear in ${devDir} within 30 s; see Vite's messages above.`)
  await new Promise((done) => setTimeout(done, 100))
}
copyFileSync(join(devDir, 'popup.html'), join(devDir, 'welcome.html'))

const services = await startServices(env, demo)
let browser: ChildProcess | undefined

async function stop(): Promise<never> {
  browser?.kill('SIGTERM')
  await Promise.all([services.close(), vite.close()])
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())

console.log(
  summary(services, [
    `Vite dev server:   http://localhost:${devPort}  (hot reload: save a file under src/ and the open popup or page updates)`,
    `Dev build:         ${devDir}  (chrome://extensions → Developer mode → Load unpacked; works while npm run dev runs)`,
  ]),
)
browser = openBrowser(env, devDir)
