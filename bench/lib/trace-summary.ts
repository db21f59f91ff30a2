/** One Chrome trace event (the Trace Event Format); `ts` and `dur` in microseconds. */
export interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: { data?: Record<string, unknown>; [key: string]: unknown }
}

/** Scheduler and IPC frames around the work: not printed, and not counted as nesting. */
const WRAPPERS = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'Receive mojo message', 'Receive mojo reply', 'SimpleWatcher::OnHandleReady', 'BlinkScheduler_PerformMicrotaskCheckpoint'])
const INSTANTS = new Set(['navigationStart', 'MarkDOMContent', 'MarkLoad', 'firstPaint', 'firstContentfulPaint', 'largestContentfulPaint::Candidate'])

/** What identifies an event's subject: a URL's path, a function's name. */
function detail(event: TraceEvent): string {
  const data = event.args?.data ?? {}
  const url = (data.url ?? data.fileName ?? data.scriptName ?? (event.args as Record<string, unknown> | undefined)?.fileName) as string | undefined
  const what = url ? new URL(url, 'x:/').pathname : ''
  const fn = data.functionName ? ` ${String(data.functionName)}` : ''
  return `${what}${fn}`.trim()
}

/**
 * A plain-text summary of a trace of one page load: the page's resources, then its renderer main
 * thread's events from navigation start until `paintMs` after it (plus a little), nested, those
 * of at least 0.1 ms, and the totals by event name of the outermost ones. `sizeOf(path)` gives a
 * resource's size in bytes (the files are the extension's, read from disk).
 */
export function summariseTrace(events: TraceEvent[], url: string, paintMs: number, sizeOf: (path: string) => number): string {
  const start = events.find((e) => e.name === 'navigationStart' && (e.args?.data?.documentLoaderURL as string | undefined) === url)
  if (!start) throw new Error(`no navigationStart for ${url} in the trace`)
  const at = (ts: number) => ((ts - start.ts) / 1000).toFixed(1).padStart(6)
  const end = start.ts + (paintMs + 3) * 1000
  const lines: string[] = []

  lines.push('resources (path, bytes: requested → finished, ms since navigation start):')
  const sent = events.filter((e) => e.pid === start.pid && e.name === 'ResourceSendRequest')
  for (const request of sent) {
    const id = request.args?.data?.requestId
    const finish = events.find((e) => e.name === 'ResourceFinish' && e.args?.data?.requestId === id)
    const path = new URL(String(request.args?.data?.url)).pathname
    let size = ''
    try {
      size = `${sizeOf(path.slice(1))} B`
    } catch {
      // not a file of the extension
    }
    lines.push(`  ${path} ${size}: ${at(request.ts)} → ${finish ? at(finish.ts) : '  ?'}`)
  }

  lines.push('main thread (ms since navigation start, duration, event, subject):')
  const main = events
    .filter((e) => e.pid === start.pid && e.tid === start.tid && e.ts >= start.ts && e.ts <= end && (e.ph === 'X' || (e.ph === 'I' || e.ph === 'R' || e.ph === 'n' ? INSTANTS.has(e.name) : false)))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  const stack: { end: number; wrapper: boolean }[] = []
  const totals = new Map<string, number>()
  let busy = 0
  for (const event of main) {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= event.ts) stack.pop()
    const outermost = stack.length === 0
    const depth = stack.filter((frame) => !frame.wrapper).length
    if (event.ph === 'X') {
      const wrapper = WRAPPERS.has(event.name)
      stack.push({ end: event.ts + (event.dur ?? 0), wrapper })
      if (outermost) busy += event.dur ?? 0
      if (!wrapper && depth === 0) totals.set(event.name, (totals.get(event.name) ?? 0) + (event.dur ?? 0))
      if (wrapper || (event.dur ?? 0) < 100 || depth > 3) continue
      lines.push(`  ${at(event.ts)} ${((event.dur ?? 0) / 1000).toFixed(2).padStart(6)} ${'  '.repeat(depth)}${event.name} ${detail(event)}`)
    } else {
      lines.push(`  ${at(event.ts)}      · ${'  '.repeat(depth)}${event.name}`)
    }
  }
  lines.push(`main thread busy ${(busy / 1000).toFixed(1)} ms of ${paintMs.toFixed(1)} ms; the outermost work by total:`)
  for (const [name, total] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${(total / 1000).toFixed(2).padStart(6)} ${name}`)
  return lines.join('\n')
}
