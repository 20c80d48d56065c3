// The web console's performance in Debian's Chromium (docs/benchmarks.md, "Web console"):
//   node console-bench.js CONSOLE_URL [SECONDS]
// CONSOLE_URL is what the demo prints ("Console: http://127.0.0.1:PORT/#token=…"); start the
// bridge with --Demo:Lamps=200 for the 200-device figure. Prints one JSON object.
const { chromium } = require('playwright-core')

const [url, seconds = '10'] = process.argv.slice(2)
const RATE = 200 // state events per second, made by a second client's `set`s

;(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  let bytes = 0
  const requests = new Map()
  cdp.on('Network.responseReceived', e => requests.set(e.requestId, e.response.url))
  const sizes = {}
  cdp.on('Network.loadingFinished', e => { if (requests.has(e.requestId)) { bytes += e.encodedDataLength; sizes[new URL(requests.get(e.requestId)).pathname] = e.encodedDataLength } })

  // First load: bytes on the wire (compressed, headers included) and time from navigation to the
  // first device card with its controls, taken in the page when that card is inserted by a
  // mutation observer set before any of the page's scripts run. (Waiting with a Playwright locator
  // instead polls inside the page, competing with it, and adds a round trip to the driver.)
  // Also when that card is first painted: the end of the next frame after its insertion (a message
  // posted from that frame's animation callback runs once the frame's style, layout and paint are
  // done), which is when a person can see and use it.
  await page.addInitScript(() => {
    let painted
    window.__painted = new Promise(resolve => { painted = resolve })
    window.__interactive = new Promise(resolve => {
      const seen = new MutationObserver(() => {
        if (document.querySelector('[data-device] [data-control]')) {
          seen.disconnect()
          resolve(performance.now())
          requestAnimationFrame(() => {
            const after = new MessageChannel()
            after.port1.onmessage = () => painted(performance.now())
            after.port2.postMessage(0)
          })
        }
      })
      seen.observe(document, { childList: true, subtree: true })
    })
  })
  await page.goto(url, { waitUntil: 'commit' })
  const interactiveMs = await page.evaluate(() => window.__interactive)
  const paintedMs = await page.evaluate(() => window.__painted)
  const devices = await page.locator('[data-device]').count()
  const firstLoad = { devices, firstLoadBytes: bytes, firstLoadFiles: sizes, interactiveMs: Math.round(interactiveMs), firstCardPaintedMs: Math.round(paintedMs) }
  if (Number(seconds) === 0) {
    console.log(JSON.stringify(firstLoad, null, 1))
    return browser.close()
  }

  // Under load: a second client sets brightness round-robin at RATE a second; the page records
  // each animation frame's gap and long tasks (> 50 ms) while the events arrive.
  const token = decodeURIComponent(/token=([^&]+)/.exec(url)[1])
  await page.evaluate(() => {
    window.__frames = []
    window.__long = []
    let last = performance.now()
    const tick = t => { window.__frames.push(t - last); last = t; window.__raf = requestAnimationFrame(tick) }
    window.__raf = requestAnimationFrame(tick)
    window.__updates = 0
    new MutationObserver(list => { window.__updates += list.length }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-value'] })
    new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: false })
  })
  // The load comes from a second browser: a second tab of this one would hide the console's tab,
  // and Chromium slows the animation frames of hidden tabs to one a second.
  const other = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  const driver = await other.newPage()
  await driver.goto(new URL('/lib/core.js', url).href) // any page of the bridge's origin
  const sent = await driver.evaluate(async ({ token, rate, seconds }) => {
    const ws = new WebSocket(`ws://${location.host}/api/v1/ws?access_token=${encodeURIComponent(token)}`)
    await new Promise(r => { ws.onopen = r })
    const ids = await new Promise(resolve => {
      ws.onmessage = e => { const m = JSON.parse(e.data); if (m.id === 'd') resolve(m.devices.map(d => d.id)) }
      ws.send(JSON.stringify({ id: 'd', op: 'devices' }))
    })
    let ok = 0; let n = 0
    ws.onmessage = e => { const m = JSON.parse(e.data); if (m.ok) ok++ }
    const end = performance.now() + seconds * 1000
    while (performance.now() < end) {
      const started = performance.now()
      for (let i = 0; i < rate / 10; i++, n++) {
        ws.send(JSON.stringify({ id: 's' + n, op: 'set', device: ids[n % ids.length], state: { brightness: 1 + (Math.floor(n / ids.length) % 100) } }))
      }
      await new Promise(r => setTimeout(r, Math.max(0, 100 - (performance.now() - started))))
    }
    await new Promise(r => setTimeout(r, 1000))
    return { sent: n, confirmed: ok }
  }, { token, rate: RATE, seconds: Number(seconds) })
  const frames = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return { frames: window.__frames, long: window.__long, updates: window.__updates } })
  const gaps = frames.frames.slice(1).sort((a, b) => a - b)
  const pct = p => Math.round(gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] * 10) / 10
  console.log(JSON.stringify({
    ...firstLoad,
    load: { seconds: Number(seconds), ...sent },
    valuesUpdatedOnPage: frames.updates,
    frames: gaps.length,
    frameGapMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: pct(1) },
    framesOver50ms: gaps.filter(g => g > 50).length,
    longTasks: frames.long.length,
    longTaskMaxMs: Math.round(Math.max(0, ...frames.long))
  }, null, 1))
  await other.close()
  await browser.close()
})().catch(e => { console.error(e); process.exit(1) })
