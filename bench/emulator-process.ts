/**
 * The Instagram emulator as a child process of the benchmark (see lib/processes.ts). Mints
 * authorization codes through its in-process state on request, so the timed part of a
 * benchmark never walks the consent page.
 */
import { CHROME_REDIRECT_URI } from '../server/extension-ids'
import { findUser, startEmulator } from '../server/emulator'
import type { EmulatorProcessOptions } from './lib/processes'

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorProcessOptions
const running = await startEmulator(options)

type Request = { id: number; type: 'mint'; count: number; username: string }

process.on('message', (message) => {
  const request = message as Request
  const user = findUser(request.username)
  if (!user) {
    process.send!({ id: request.id, error: `no test user ${request.username}` })
    return
  }
  const codes: string[] = []
  for (let i = 0; i < request.count; i++) {
    codes.push(
      running.emulator.issueCode({ clientId: running.clientId, redirectUri: CHROME_REDIRECT_URI, user, scopes: ['instagram_business_basic'] }).code,
    )
  }
  process.send!({ id: request.id, codes })
})
process.on('SIGTERM', () => {
  void running.close().then(() => process.exit(0))
})
process.on('disconnect', () => {
  void running.close().then(() => process.exit(0))
})

process.send!({ url: running.url, clientId: running.clientId, clientSecret: running.clientSecret, redirectUri: CHROME_REDIRECT_URI })
