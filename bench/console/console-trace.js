// Where the console's first load spends its time (docs/benchmarks.md, "Issue #12"):
//   node console-trace.js CONSOLE_URL [RUNS] [--profile FILE.cpuprofile]
// Loads the console RUNS times (a fresh browser context each, cache off, as console-bench.js does)
// and prints, per run, a timeline in ms after navigation start: the document's and every file's
// request/response times (Resource Timing), the WebSocket's open, each frame sent and received
// (with its op or reply id), the page's script milestones and the first usable card. With
// --profile the last run is also recorded by the JS profiler, with --trace by Chromium's tracing
// (devtools.timeline, loading, v8: what the renderer's main thread did); open either in DevTools.
const fs = require('fs')
const { chromium } = require('playwright-core')

const args = process.argv.slice(2)
const profileAt = args.indexOf('--profile')
const profileFile = profileAt >= 0 ? args.splice(profileAt, 2)[1] : null
const traceAt = args.indexOf('--trace')
const traceFile = traceAt >= 0 ? args.splice(traceAt, 2)[1] : null
const [url, runs = '3'] = args
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading', 'blink', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'netlog', 'navigation', 'toplevel']

// Runs in the page before its own scripts: wraps WebSocket to time frames, and marks the first
// card with a control the same way console-bench.js does.
function instrument () {
  const t = () => Math.round(performance.now() * 10) / 10
  window.__events = []
  const log = (what, detail) => window.__events.push([t(), what, detail || ''])
  const Native = window.WebSocket
  window.WebSocket = function (u, p) {
    const ws = new Native(u, p)
    log('ws new')
    ws.addEventListener('open', () => log('ws open'))
    ws.addEventListener('message', e => { const m = /"(id|event)":"([^"]*)"/.exec(e.data); log('ws ←', m ? m[1] + ' ' + m[2] : e.data.slice(0, 40)) })
    const send = ws.send.bind(ws)
    ws.send = d => { const m = /"op":"([^"]*)"/.exec(d); log('ws →', m ? m[1] : String(d).slice(0, 40)); return send(d) }
    return ws
  }
  window.WebSocket.prototype = Native.prototype
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })
  document.addEventListener('DOMContentLoaded', () => log('DOMContentLoaded'))
  window.addEventListener('load', () => log('load'))
  window.__interactive = new Promise(resolve => {
    const seen = new MutationObserver(() => {
      if (document.querySelector('[data-device] [data-control]')) {
        seen.disconnect(); log('first usable card'); resolve(performance.now())
        // As console-bench.js: the end of the next frame, once the card is laid out and painted.
        requestAnimationFrame(() => { log('frame with the card'); const c = new MessageChannel(); c.port1.onmessage = () => log('first card painted'); c.port2.postMessage(0) })
      }
    })
    seen.observe(document, { childList: true, subtree: true })
  })
}

async function once (browser, profile, trace) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  if (profile) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start') }
  const traced = []
  if (trace) {
    cdp.on('Tracing.dataCollected', e => traced.push(...e.value))
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: 'ReportEvents' })
  }
  // The network service's own view of the WebSocket: when the handshake request left and when the
  // 101 came back (monotonic seconds, made relative to the document request's own timestamp).
  const network = []
  let documentAt = null
  cdp.on('Network.requestWillBeSent', e => { if (documentAt === null && e.type === 'Document') documentAt = e.timestamp })
  cdp.on('Network.webSocketWillSendHandshakeRequest', e => network.push([e.timestamp, 'ws handshake sent (network service)']))
  cdp.on('Network.webSocketHandshakeResponseReceived', e => network.push([e.timestamp, 'ws handshake answered (network service)']))
  await page.addInitScript(instrument)
  await page.goto(url, { waitUntil: 'commit' })
  const interactive = await page.evaluate(() => window.__interactive)
  await page.waitForFunction(() => window.__events.some(e => e[1] === 'first card painted'))
  if (profile) fs.writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile))
  if (trace) {
    const done = new Promise(resolve => cdp.once('Tracing.tracingComplete', resolve))
    await cdp.send('Tracing.end')
    await done
    fs.writeFileSync(trace, JSON.stringify({ traceEvents: traced }))
  }
  const timeline = await page.evaluate(() => {
    const r = x => Math.round(x * 10) / 10
    const nav = performance.getEntriesByType('navigation')[0]
    const rows = [[r(nav.requestStart), 'document request'], [r(nav.responseStart), 'document first byte'], [r(nav.responseEnd), 'document end'], [r(nav.domInteractive), 'domInteractive']]
    for (const e of performance.getEntriesByType('resource')) {
      const name = new URL(e.name).pathname
      rows.push([r(e.startTime), name + ' asked'], [r(e.responseStart), name + ' first byte'], [r(e.responseEnd), name + ' end'])
    }
    for (const e of performance.getEntriesByType('paint')) rows.push([r(e.startTime), e.name])
    return rows.concat(window.__events.map(([at, what, d]) => [at, what + (d ? ' ' + d : '')]))
  })
  const documentRequest = timeline.find(([, what]) => what === 'document request')[0]
  for (const [at, what] of network) timeline.push([Math.round(((at - documentAt) * 1000 + documentRequest) * 10) / 10, what])
  timeline.sort((a, b) => a[0] - b[0])
  await context.close()
  return { interactive: Math.round(interactive), timeline }
}

;(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  for (let i = 0; i < Number(runs); i++) {
    const last = i === Number(runs) - 1
    const { interactive, timeline } = await once(browser, last ? profileFile : null, last ? traceFile : null)
    console.log(`run ${i + 1}: interactive ${interactive} ms`)
    for (const [at, what] of timeline) console.log(String(at).padStart(8), what)
  }
  await browser.close()
})().catch(e => { console.error(e); process.exit(1) })
