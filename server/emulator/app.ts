import { Hono } from 'hono'
import { createAdmin } from './admin'
import { authorizeRoutes } from './authorize'
import { emulatorConfig, EMULATOR_PATHS } from './config'
import type { EmulatorConfig, EmulatorOptions } from './config'
import { graphError } from './errors'
import { graphRoutes } from './graph'
import { createPictures } from './pictures'
import { EmulatorState } from './state'
import { tokenRoutes } from './token'

export { DEFAULT_APP_NAME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EMULATOR_PATHS, KNOWN_SCOPES } from './config'
export type { EmulatorConfig, EmulatorOptions } from './config'

export interface Emulator {
  readonly app: Hono
  readonly state: EmulatorState
  readonly config: EmulatorConfig
}

/**
 * Builds the emulator: one Hono app composed of its parts, each in its own file as
 * axa-group/oauth2-mock-server splits them: the authorize dialog (./authorize), the token
 * endpoint (./token), Graph bare and under `/vNN.N` (./graph), generated pictures and the
 * `/__emulator` admin hook (./admin).
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const config = emulatorConfig(options)
  const state = new EmulatorState(
    {
      tokenShape: options.tokenShape ?? 'flat',
      permissionsAs: options.permissionsAs,
      meShape: options.meShape ?? 'flat',
      meIds: 'string',
      usage: null,
      autoApprove: options.autoApprove ?? false,
      latencyMs: options.latencyMs ?? 0,
      tamperRedirect: null,
    },
    options.now,
  )

  const app = new Hono()
  if (options.log) {
    const log = options.log
    app.use(async (c, next) => {
      const started = performance.now()
      await next()
      log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms`)
    })
  }

  app.route(EMULATOR_PATHS.pictures, createPictures())
  app.route(EMULATOR_PATHS.admin, createAdmin(state, config))
  app.route('/', authorizeRoutes(state, config))
  app.route('/', tokenRoutes(state, config))
  const graph = graphRoutes(state, config)
  app.route('/', graph)
  app.route(EMULATOR_PATHS.graphVersionPrefix, graph)

  app.notFound((c) => graphError({ message: `Unknown path components: ${c.req.path}`, code: 2500, status: 404 }))
  app.onError((err) => graphError({ message: `An unexpected error has occurred: ${err.message}`, code: 1, status: 500 }))

  return { app, state, config }
}
