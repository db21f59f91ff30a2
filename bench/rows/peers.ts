import { DEFAULT_REDIRECT_URIS } from '../../server/extension-ids'
import { closedLoop } from '../lib/load'
import { browse } from '../lib/cookie-jar'
import {
  beginLogin,
  extensionCode,
  finishLogin,
  installPeers,
  PEERS,
  startPeer,
  type PeerKey,
  type PendingLogin,
  type Step,
} from '../lib/peers'
import { bundledCommand, cpuMs, freePort, serverEnv, startEmulatorProcess, startServerProcess, type EmulatorProcess, type ServerProcess } from '../lib/processes'
import type { Figure, RowResult } from '../lib/report'
import { median, ms, p99, signedMs } from '../lib/stats'
import { directExchange, serverExchange } from '../lib/upstream'

/** Test user whose `user_id` is above 2^53 and odd: JSON.parse turns …219 into …220. */
const USERNAME = 'bigodd.creator'
const EXACT_ID = '17841405793187219'
const WARM_UP = 100
const C1_OPS = 200
const C50_OPS = 300
const C50_ROUNDS = 5
const MINT_CONCURRENCY = 8

/**
 * The timed paths: the server; the server with TOKEN_LIFETIME=short (`short`: no long-lived
 * upgrade, the peers' two upstream calls, like for like); the peers; and two floors the benchmark
 * calls directly at the emulator: `upstream3` the server's three calls (code exchange, then
 * long-lived upgrade and profile at once), `upstream2` a peer's two (code exchange, then profile);
 * and `relay`, the same three calls relayed by bare node:http (bench/bare-node.ts, row 1's lowest
 * floor): the least any Node server spends on `POST /token`'s work.
 */
type Path = 'server' | 'short' | PeerKey | 'relay' | 'upstream3' | 'upstream2'
const PATHS: readonly Path[] = ['server', 'short', ...PEERS.map((p) => p.key), 'relay', 'upstream3', 'upstream2']
type Process = 'server' | 'short' | 'relay' | PeerKey

/** What one login tells about a path: completes, keeps the id, ends with a long-lived token, names a reused code. */
interface Story {
  unmodified: Step<unknown>
  completes: Step<unknown>
  idExact?: boolean
  id?: string
  longLived?: boolean
  reusedNamed?: boolean
  reusedShows?: string
  /** The code exchange's `user_id` as the library hands it to the app, where it does. */
  tokenUserId?: string
}

/**
 * Row 8 (issue 18, part 2): the exchange server beside Auth.js, grant and passport-instagram,
 * each the smallest server its docs lead to, pointed at the emulator. First whether each
 * completes a login unmodified and with the least work-around, keeps the id exact, ends with a
 * long-lived token and names the error on a reused code; then, in the same run with fresh codes,
 * the exchange step (the peer's callback; our `POST /token`) at concurrency 1 and 50.
 */
export async function peersSideBySide(): Promise<RowResult> {
  installPeers()
  const ports = Object.fromEntries(await Promise.all(PEERS.map(async (p) => [p.key, await freePort()] as const))) as Record<PeerKey, number>
  const base = (key: PeerKey) => `http://127.0.0.1:${ports[key]}`
  const callbacks = PEERS.flatMap((p) => [...new Set(Object.values(p.callbackPath))].map((path) => `${base(p.key)}${path}`))
  const emulator = await startEmulatorProcess({ redirectUris: [...DEFAULT_REDIRECT_URIS, ...callbacks] })
  const servers: Partial<Record<Process, ServerProcess>> = {}
  try {
    const stories = {} as Record<'server' | PeerKey, Story>
    for (const peer of PEERS) {
      const docs = await startPeer(peer, 'docs', ports[peer.key], emulator)
      let unmodified: Step<unknown>
      try {
        const pending = await beginLogin(peer, 'docs', base(peer.key), emulator, USERNAME)
        unmodified = pending.ok ? await finishLogin(base(peer.key), pending.value) : pending
      } finally {
        await docs.stop()
      }
      servers[peer.key] = await startPeer(peer, 'workaround', ports[peer.key], emulator)
      stories[peer.key] = { unmodified, ...(await peerStory(peer.key, base(peer.key), emulator)) }
    }
    servers.server = await startServerProcess(serverEnv(emulator))
    servers.short = await startServerProcess(serverEnv(emulator, { TOKEN_LIFETIME: 'short' }))
    servers.relay = await startServerProcess(serverEnv(emulator), bundledCommand('bench/bare-node.ts'))
    stories.server = { unmodified: { ok: true, value: undefined }, ...(await serverStory(servers.server.url, emulator)) }

    const timing = await measureExchanges(servers as Record<Process, ServerProcess>, base, emulator)
    return report(stories, timing)
  } finally {
    for (const server of Object.values(servers)) await server.stop()
    await emulator.stop()
  }
}

/** The login through a peer with its work-around, then a second login that sends the first one's code again. */
async function peerStory(key: PeerKey, base: string, emulator: EmulatorProcess): Promise<Omit<Story, 'unmodified'>> {
  const peer = PEERS.find((p) => p.key === key)!
  const first = await beginLogin(peer, 'workaround', base, emulator, USERNAME)
  if (!first.ok) return { completes: first }
  const usedCode = new URL(first.value.callbackUrl).searchParams.get('code')!
  const signedIn = await finishLogin(base, first.value)
  if (!signedIn.ok) return { completes: signedIn }
  const again = await beginLogin(peer, 'workaround', base, emulator, USERNAME)
  let reusedShows = 'could not start a second login'
  if (again.ok) {
    const replay = new URL(again.value.callbackUrl)
    replay.searchParams.set('code', usedCode)
    const outcome = await finishLogin(base, { ...again.value, callbackUrl: replay.toString() })
    reusedShows = outcome.ok ? 'a login (!)' : outcome.detail.replace(/^the callback ended in /, '')
  }
  return {
    completes: signedIn,
    id: signedIn.value.id,
    idExact: signedIn.value.id === EXACT_ID,
    longLived: await isLongLived(emulator, signedIn.value.access_token),
    reusedNamed: /already used|Matching code/i.test(reusedShows),
    reusedShows,
    ...(signedIn.value.token_user_id === undefined ? {} : { tokenUserId: signedIn.value.token_user_id }),
  }
}

/** The same questions of `POST /token`. */
async function serverStory(url: string, emulator: EmulatorProcess): Promise<Omit<Story, 'unmodified'>> {
  const code = await extensionCode(emulator, USERNAME)
  const post = () =>
    fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, redirect_uri: emulator.redirectUri }) })
  const first = await post()
  const text = await first.text()
  if (!first.ok) return { completes: { ok: false, detail: `POST /token answered ${first.status} ${text}` } }
  const body = JSON.parse(text) as { access_token: string; user: { id: string } }
  const reused = await post()
  const reusedShows = `${reused.status} ${await reused.text()}`
  return {
    completes: { ok: true, value: body },
    id: body.user.id,
    idExact: body.user.id === EXACT_ID,
    longLived: await isLongLived(emulator, body.access_token),
    reusedNamed: reused.status === 400 && reusedShows.includes('"invalid_grant"'),
    reusedShows,
  }
}

/** Whether Instagram (the emulator) refuses to upgrade `token` because it already is long-lived. */
async function isLongLived(emulator: EmulatorProcess, token: string): Promise<boolean> {
  const params = new URLSearchParams({ grant_type: 'ig_exchange_token', client_secret: emulator.clientSecret, access_token: token })
  const answer = await fetch(`${emulator.url}/access_token?${params}`)
  return !answer.ok && (await answer.text()).includes('only a short-lived access token')
}

interface Timing {
  c1: Record<Path, number[]>
  c50: Record<Path, number[]>
  /** Requests per second of each block at concurrency 50. */
  rate: Record<Path, number[]>
  /** CPU per exchange at concurrency 50 (ms, from /proc): the path's own process, and the emulator's. */
  cpu: Record<Path, { own: number; emulator: number }>
}

/**
 * The timed step of each path with tickets prepared beforehand (the browser's sign-in and
 * consent for a peer, a code for the server and the floors): one ticket, one fresh code.
 * Concurrency 1: the paths take turns request by request. Concurrency 50: alternating blocks,
 * so that every path sees the same drift of a shared machine.
 */
async function measureExchanges(servers: Record<Process, ServerProcess>, base: (key: PeerKey) => string, emulator: EmulatorProcess): Promise<Timing> {
  const perPath = WARM_UP + C1_OPS + C50_OPS * C50_ROUNDS
  verifyLater.length = 0
  const tickets = {} as Record<Path, (() => Promise<void>)[]>
  for (const path of PATHS) tickets[path] = await mint(path, perPath, servers, base, emulator)
  const take = (path: Path) => {
    const op = tickets[path].pop()
    if (!op) throw new Error(`ran out of prepared logins for ${path}`)
    return op()
  }

  await closedLoop((i) => take(PATHS[i % PATHS.length]!), 10, WARM_UP * PATHS.length)

  const c1 = emptySamples()
  await closedLoop(
    async (i) => {
      const path = PATHS[i % PATHS.length]!
      const started = performance.now()
      await take(path)
      c1[path].push(performance.now() - started)
    },
    1,
    C1_OPS * PATHS.length,
  )

  const c50 = emptySamples()
  const rate = emptySamples()
  const cpuSpent = Object.fromEntries(PATHS.map((p) => [p, { own: 0, emulator: 0 }])) as Timing['cpu']
  for (let round = 0; round < C50_ROUNDS; round++) {
    for (const path of PATHS) {
      const own = path in servers ? servers[path as Process].pid : process.pid
      const before = { own: cpuMs(own), emulator: cpuMs(emulator.pid) }
      const started = performance.now()
      c50[path].push(...(await closedLoop(() => take(path), 50, C50_OPS)))
      rate[path].push(C50_OPS / ((performance.now() - started) / 1000))
      cpuSpent[path].own += cpuMs(own) - before.own
      cpuSpent[path].emulator += cpuMs(emulator.pid) - before.emulator
    }
  }
  const total = C50_OPS * C50_ROUNDS
  const cpu = Object.fromEntries(PATHS.map((p) => [p, { own: cpuSpent[p].own / total, emulator: cpuSpent[p].emulator / total }])) as Timing['cpu']
  await closedLoop((i) => verifyLater[i]!(), 10, verifyLater.length)
  return { c1, c50, rate, cpu }
}

/** `count` timed steps for `path`, each checking its own answer (a benchmark of errors measures nothing). */
async function mint(path: Path, count: number, servers: Record<Process, ServerProcess>, base: (key: PeerKey) => string, emulator: EmulatorProcess): Promise<(() => Promise<void>)[]> {
  const ops: (() => Promise<void>)[] = []
  if (path === 'server' || path === 'short' || path === 'relay' || path === 'upstream3' || path === 'upstream2') {
    const exchange =
      path === 'server' || path === 'short' || path === 'relay'
        ? serverExchange(servers[path].url, emulator.redirectUri)
        : directExchange(emulator, path === 'upstream3' ? 'parallel' : 'profile')
    await closedLoop(async () => {
      const code = await extensionCode(emulator, USERNAME)
      ops.push(() => exchange(code))
    }, MINT_CONCURRENCY, count)
    return ops
  }
  const peer = PEERS.find((p) => p.key === path)!
  await closedLoop(async () => {
    const pending = await beginLogin(peer, 'workaround', base(peer.key), emulator, USERNAME)
    if (!pending.ok) throw new Error(`${peer.key}: ${pending.detail}`)
    ops.push(() => callback(peer.key, peer.landing, base(peer.key), pending.value))
  }, MINT_CONCURRENCY, count)
  return ops
}

/**
 * The peer's callback: the request that exchanges the code and fetches the profile. It succeeded
 * when it redirects to the app's landing page; grant redirects there on errors too, so its
 * landing page is read as well, after the timing.
 */
async function callback(key: PeerKey, landing: string, base: string, pending: PendingLogin): Promise<void> {
  const answer = await browse(pending.callbackUrl, pending.jar)
  await answer.arrayBuffer()
  const location = answer.headers.get('location') ?? ''
  if (answer.status !== 302 || new URL(location, base).pathname !== landing) throw new Error(`${key} callback answered ${answer.status} → ${location}`)
  if (key === 'grant') {
    verifyLater.push(async () => {
      const page = await browse(`${base}${landing}`, pending.jar)
      const text = await page.text()
      if (!text.includes('"access_token"')) throw new Error(`grant's landing page shows ${text.slice(0, 200)}`)
    })
  }
}

/** grant's landing pages, read after the timing (see `callback`). */
const verifyLater: (() => Promise<void>)[] = []

function emptySamples(): Record<Path, number[]> {
  return Object.fromEntries(PATHS.map((p) => [p, []])) as unknown as Record<Path, number[]>
}

const yesNo = (value: boolean | undefined) => (value === undefined ? '–' : value ? 'yes' : 'no')
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const ratio = (value: number) => `${value.toFixed(2)}×`

function report(stories: Record<'server' | PeerKey, Story>, timing: Timing): RowResult {
  const names: Record<'server' | PeerKey, string> = {
    server: 'POST /token (this server)',
    ...(Object.fromEntries(PEERS.map((p) => [p.key, p.name()])) as Record<PeerKey, string>),
  }
  const short: Record<Path, string> = { server: 'the server', short: 'the server, TOKEN_LIFETIME=short', authjs: 'Auth.js', grant: 'grant', passport: 'passport-instagram', relay: 'bare node:http relay of the 3 calls', upstream3: '3 calls direct', upstream2: '2 calls direct' }
  const peers = PEERS.map((p) => p.key)
  const figures: Figure[] = []
  for (const key of ['server', ...peers] as const) {
    const story = stories[key]
    figures.push({
      label: `${names[key]}: login completes unmodified / with the work-around · id exact · long-lived token · names a reused code`,
      measured: `${key === 'server' ? '–' : yesNo(story.unmodified.ok)} / ${yesNo(story.completes.ok)} · ${yesNo(story.idExact)} · ${yesNo(story.longLived)} · ${yesNo(story.reusedNamed)}`,
      target: '',
    })
  }
  const fastest = (samples: Record<Path, number[]>) => peers.reduce((a, b) => (median(samples[b]) < median(samples[a]) ? b : a))
  const busiest = peers.reduce((a, b) => (median(timing.rate[b]) > median(timing.rate[a]) ? b : a))
  /** Requests/s of `path` over the busiest peer's, the median of the rounds' ratios (adjacent blocks, the same drift). */
  const pairedRate = (path: Path) => median(timing.rate[path].map((rate, round) => rate / timing.rate[busiest][round]!))
  for (const [concurrency, samples] of [[1, timing.c1], [50, timing.c50]] as const) {
    for (const path of PATHS) {
      figures.push({
        label: `exchange step at ${concurrency}, median / p99: ${short[path]}${concurrency === 50 ? ', requests/s' : ''}`,
        measured: `${ms(median(samples[path]))} / ${ms(p99(samples[path]))}${concurrency === 50 ? `, ${median(timing.rate[path]).toFixed(0)}/s` : ''}`,
        target: '',
      })
    }
    const best = fastest(samples)
    const r = median(samples.server) / median(samples[best])
    figures.push({ label: `our median at ${concurrency} / the fastest peer's (${short[best]})`, measured: ratio(r), target: '≤ 0.8×', pass: r <= 0.8 })
    figures.push({
      label: `like for like, two upstream calls each: the server with TOKEN_LIFETIME=short, median at ${concurrency} / the fastest peer's`,
      measured: ratio(median(samples.short) / median(samples[best])),
      target: '',
    })
    figures.push({
      label: `floor: the bare node:http relay of the same three calls, median at ${concurrency} / the fastest peer's`,
      measured: ratio(median(samples.relay) / median(samples[best])),
      target: '',
    })
  }
  for (const path of ['server', 'short', ...peers] as const) {
    const floor = path === 'server' ? 'upstream3' : 'upstream2'
    figures.push({
      label: `added to its upstream calls made directly at 1, median: ${short[path]} (vs ${short[floor]})`,
      measured: signedMs(median(timing.c1[path]) - median(timing.c1[floor])),
      target: '',
    })
  }
  const throughput = pairedRate('server')
  figures.push({ label: `our requests/s at 50 / the fastest peer's (${short[busiest]})`, measured: ratio(throughput), target: '≥ 1.25×', pass: throughput >= 1.25 })
  figures.push({
    label: 'like for like: the server with TOKEN_LIFETIME=short, requests/s at 50 / the fastest peer\'s',
    measured: ratio(pairedRate('short')),
    target: '',
  })
  figures.push({ label: 'floor: the bare node:http relay of the same three calls, requests/s at 50 / the fastest peer\'s', measured: ratio(pairedRate('relay')), target: '' })

  const notes = [
    '**The peers.** Each is the smallest server its docs lead to (`bench/peers/*.mjs`, installed by `npm ci` in ' +
      '`bench/peers/` on the bench\'s first run, outside the product\'s dependency tree), given Instagram Login\'s scope ' +
      '`instagram_business_basic`, and run on plain `node` as its docs start it. Instagram\'s hosts are answered by the ' +
      'emulator through `bench/peers/instagram-hosts.mjs` (a hosts-file entry for fetch and https.request), so every ' +
      'library keeps the URLs it ships with. The login is walked as a browser would: the library\'s sign-in, the ' +
      `emulator's consent as \`${USERNAME}\` (\`user_id\` ${EXACT_ID}, above 2^53 and odd), the callback, its redirects. ` +
      'The page the login lands on reports what the app knows (for Auth.js, through the documented jwt and session ' +
      "callbacks: `account.providerAccountId`, since its session's `sub` is a random UUID without a database).",
    ...PEERS.map((peer) => {
      const story = stories[peer.key]
      const parts = [
        `**${peer.name()}.** Unmodified: ${story.unmodified.ok ? 'completes the login' : `fails — ${story.unmodified.detail}`}.`,
        `Least work-around: ${peer.workaround}; with it the login ${story.completes.ok ? 'completes' : `still fails — ${story.completes.detail}`}.`,
      ]
      if (story.id !== undefined) {
        parts.push(
          `The user id the app gets (from \`/me\`, where Graph sends ids as strings) is ${story.id}${story.idExact ? ', exact' : `, not ${EXACT_ID}`}` +
            (story.tokenUserId === undefined
              ? '.'
              : `; the code exchange's numeric \`user_id\`, which the library also hands to the app, arrives as ${story.tokenUserId}` +
                `${story.tokenUserId === EXACT_ID ? ' (exact)' : ' (rounded by JSON.parse)'}.`),
        )
        parts.push(`Token: ${story.longLived ? 'long-lived' : 'the short-lived one (1 hour); no upgrade'}.`)
        parts.push(`A reused code shows: ${story.reusedShows}.`)
      }
      return parts.join(' ')
    }),
    `**This server.** \`POST /token\`: user.id ${stories.server.id ?? '–'}, a long-lived token (${yesNo(stories.server.longLived)}), a reused code: ${stories.server.reusedShows ?? '–'}.`,
    `**Timing.** Each timed request uses a login prepared beforehand (sign-in and consent for a peer, a consented code ` +
      `for the server), so every exchange has a fresh code. The peer's step is its callback (code exchange, profile, ` +
      `session), checked by its redirect to the app's page (grant's page is read after the timing, since grant ` +
      `redirects there on errors too); the server's is \`POST /token\` (code exchange, then the long-lived upgrade and ` +
      `the profile at once). ${WARM_UP} warm-up exchanges per path; concurrency 1: ${C1_OPS} per path taking turns; ` +
      `concurrency 50: ${C50_ROUNDS} rounds of alternating blocks of ${C50_OPS} per path; requests/s is the median of a ` +
      `path's blocks, and a throughput ratio the median of the rounds' ratios (blocks side by side see the same load ` +
      `from the rest of the machine).`,
    whereTheTimeGoes(timing, short),
    theFloor(timing, busiest, pairedRate, short),
  ]
  return {
    id: 8,
    title: 'The peers, side by side',
    how:
      'the emulator in a process of its own; `npm run server` and the three peers (Auth.js, grant, passport-instagram), each ' +
      'with the least work-around that makes it complete an Instagram Login, in processes of their own; the login ' +
      'checks first, then the exchange step timed with fresh codes (details below).',
    figures,
    notes,
  }
}

/**
 * The note that says whether the targets are within reach at all: the bare node:http relay of
 * the three calls is the least a Node server can spend on them, measured beside the peers.
 */
function theFloor(timing: Timing, busiest: PeerKey, pairedRate: (path: Path) => number, short: Record<Path, string>): string {
  const peers = PEERS.map((p) => p.key)
  const fastest = (samples: Record<Path, number[]>) => Math.min(...peers.map((p) => median(samples[p])))
  const relay1 = median(timing.c1.relay) / fastest(timing.c1)
  const relay50 = median(timing.c50.relay) / fastest(timing.c50)
  const relayRate = pairedRate('relay')
  const outOfReach = [
    relay1 > 0.8 ? `its median at 1 is ${ratio(relay1)} the fastest peer's` : '',
    relay50 > 0.8 ? `its median at 50 ${ratio(relay50)}` : '',
    relayRate < 1.25 ? `its requests/s at 50 ${ratio(relayRate)} ${short[busiest]}'s` : '',
  ].filter(Boolean)
  const serverCpu = timing.cpu.server.own
  const relayCpu = timing.cpu.relay.own
  return (
    `**The floor.** No Node server makes \`POST /token\`'s three calls with less than a bare node:http relay ` +
    `(\`bench/bare-node.ts\`: no framework, no checks, no log, the same keep-alive transport), timed here beside the ` +
    `peers: median ${ms(median(timing.c1.relay))} at 1 and ${ms(median(timing.c50.relay))} at 50, ` +
    `${median(timing.rate.relay).toFixed(0)} requests/s, its own CPU ${ms(relayCpu)} per exchange against the server's ` +
    `${ms(serverCpu)}. ` +
    (outOfReach.length > 0
      ? `Even that floor misses the targets: ${outOfReach.join(', ')}. So no change to the server's own work can meet ` +
        'them on this machine, where the emulator answers the third call on the same two cores: the targets are out ' +
        'of reach for an exchange that also gets the long-lived token, and the like-for-like lines ' +
        '(TOKEN_LIFETIME=short, two calls each) are the comparison that holds.'
      : 'That floor meets the targets, so what separates the server from them is its own work.')
  )
}

/** The note that explains the timing figures from the run's own floors and CPU times. */
function whereTheTimeGoes(timing: Timing, short: Record<Path, string>): string {
  const c1 = (path: Path) => median(timing.c1[path])
  const peers = PEERS.map((p) => p.key)
  const cpu = (path: Path) => `${short[path]} ${ms(timing.cpu[path].own)} + emulator ${ms(timing.cpu[path].emulator)}`
  const peerEmulator = mean(peers.map((p) => timing.cpu[p].emulator))
  const oursAdded = c1('server') - c1('upstream3')
  const peersAdded = peers.map((p) => c1(p) - c1('upstream2'))
  return (
    `**Where the time goes.** At concurrency 1 the server adds ${signedMs(oursAdded)} (median) to its three upstream ` +
    `calls made directly by the benchmark, the peers ${peersAdded.map((v, i) => `${short[peers[i]!]} ${signedMs(v)}`).join(', ')} ` +
    `to their two; the third call, the long-lived upgrade beside the profile, costs ${signedMs(c1('upstream3') - c1('upstream2'))} ` +
    `between the two floors. CPU per exchange at concurrency 50 (from /proc; a floor's own process is the benchmark): ` +
    `${PATHS.map(cpu).join('; ')}. At concurrency 50 every process shares the same two cores, so requests/s follows ` +
    `the CPU the whole path spends per exchange (its server, the emulator, the benchmark's client): the server's ` +
    `own ${ms(timing.cpu.server.own)} against the fastest peer's ${ms(Math.min(...peers.map((p) => timing.cpu[p].own)))}, ` +
    `and the emulator's ${ms(timing.cpu.server.emulator)} for the server's three calls against ${ms(peerEmulator)} on average for a peer's two.`
  )
}
