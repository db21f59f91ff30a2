import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { createEmulator } from './app'
import type { EmulatorOptions } from './app'
import type { EmulatorState } from './state'
import type { TestUser } from './users'

export interface StartEmulatorOptions extends EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: an ephemeral port, reported in `url`. */
  port?: number
}

export interface RunningEmulator {
  /** Origin, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string
  readonly port: number
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUris: readonly string[]
  readonly users: readonly TestUser[]
  /** In-process admin: the same state the `/__emulator` routes change. */
  readonly emulator: EmulatorState
  /** Ends hanging requests and open sockets, then stops listening. */
  close(): Promise<void>
}

/** Serves the emulator over HTTP and resolves once it listens (rejects on EADDRINUSE etc.). */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { host = '127.0.0.1', port = 0, ...emulatorOptions } = options
  const { app, state, config } = createEmulator(emulatorOptions)
  const server = createAdaptorServer({ fetch: app.fetch }) as Server

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening)
      reject(err)
    }
    const onListening = (): void => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })

  const address = server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address
  let closed: Promise<void> | undefined

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUris: config.redirectUris,
    users: config.users,
    emulator: state,
    close() {
      closed ??= new Promise<void>((resolve) => {
        state.shutdown()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
  }
}
