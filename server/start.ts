import { serve, type ServerType } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { AddressInfo } from 'node:net'
import { createApp, type AppDeps } from './app'
import type { ServerConfig } from './config'

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Serves the app on Node at `config.host:config.port` (port 0 picks a free one, for tests) and
 * resolves once it listens. Rejects with the listen error (e.g. EADDRINUSE).
 */
export function startServer(config: ServerConfig, deps: AppDeps = {}): Promise<RunningServer> {
  const build = (publicUrl: string) =>
    createApp({ ...config, publicUrl }, {
      clientAddress: (c) => {
        try {
          return getConnInfo(c).remote.address
        } catch {
          return undefined
        }
      },
      ...deps,
    })
  let app = build(config.publicUrl)
  return new Promise((resolve, reject) => {
    let server: ServerType
    const onError = (error: Error) => reject(error)
    server = serve({ fetch: (request, env) => app.fetch(request, env), hostname: config.host, port: config.port }, (info: AddressInfo) => {
      server.off('error', onError)
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      // PORT=0 picks a free port; links the server hands out must name the real one.
      if (new URL(config.publicUrl).port === '0') app = build(`http://${host}:${info.port}`)
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
    server.once('error', onError)
  })
}
