/**
 * The size knob. `npm test` runs every kind of check once at a size that keeps the suite fast;
 * `RELIABILITY=long` (what `npm run test:reliability` sets) runs the long versions: at least
 * 10 000 fuzzed HTTP requests in total and 10 000 load requests at 50 connections.
 */
export const LONG = process.env.RELIABILITY === 'long'

export const SIZE = LONG
  ? {
      /** Property runs, one HTTP request each. */
      httpRuns: { endpoints: 6000, guards: 2000, callbacks: 1500, sockets: 1000 },
      /** Property runs of the pure parsers (no I/O). */
      parserRuns: 20_000,
      load: { requests: 12_000, connections: 64, warmup: 500 },
    }
  : {
      httpRuns: { endpoints: 700, guards: 250, callbacks: 200, sockets: 120 },
      parserRuns: 1000,
      load: { requests: 1200, connections: 50, warmup: 100 },
    }

/** A fixed seed unless FC_SEED is given, so a failure in CI can be replayed locally. */
export const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : LONG ? Date.now() % 2 ** 31 : 20261123

/** Per test: the long properties run for minutes, and the machine may be shared. */
export const TEST_TIMEOUT_MS = LONG ? 900_000 : 120_000
