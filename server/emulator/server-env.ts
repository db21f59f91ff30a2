/** Where an emulator listens and the app it plays: what `startEmulator` and the benchmark's emulator process give. */
export interface EmulatorAddress {
  url: string
  clientId: string
  clientSecret: string
}

/**
 * The exchange server's Instagram settings (SPEC "Configuration") for an emulator instead of
 * Instagram: the one place that knows which emulator path stands for which Instagram endpoint.
 */
export function serverEnvFor(emulator: EmulatorAddress): Record<'IG_CLIENT_ID' | 'IG_CLIENT_SECRET' | 'IG_AUTHORIZE_URL' | 'IG_TOKEN_URL' | 'IG_GRAPH_URL', string> {
  return {
    IG_CLIENT_ID: emulator.clientId,
    IG_CLIENT_SECRET: emulator.clientSecret,
    IG_AUTHORIZE_URL: `${emulator.url}/oauth/authorize`,
    IG_TOKEN_URL: `${emulator.url}/oauth/access_token`,
    IG_GRAPH_URL: emulator.url,
  }
}
