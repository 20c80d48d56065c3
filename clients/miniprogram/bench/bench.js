'use strict'
// The SDK's performance targets (issue 10), measured on loopback against the real bridge and relay
// processes, through the same fake wx the end-to-end tests use. Run inside a network namespace:
//
//   unshare -n tools/in-netns.sh node clients/miniprogram/bench/bench.js [--sets 400]
//
// 1. connect() on a cached address → first devices() reply (target ≤ 50 ms)
// 2. network change → path 'relay' (≤ 2 s), and Wi-Fi back → path 'lan' (≤ 5 s)
// 3. set round trip p50 over the LAN: SDK vs a bare `ws` client (within 10 %), interleaved rounds
const os = require('node:os')
const { startBridge, startRelay } = require('../test/support/processes.js')
const { phone, pathWithin, bareClient } = require('../test/support/e2e.js')

const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const SETS = arg('sets', 400)
const RUNS = arg('runs', 30)

const ms = since => Number(process.hrtime.bigint() - since) / 1e6
const pct = (values, p) => { const s = [...values].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))] }
const fmt = v => v.toFixed(v < 10 ? 2 : 1)
const line = (what, values, target) => console.log(`${what}: p50 ${fmt(pct(values, 50))} ms, p95 ${fmt(pct(values, 95))} ms, max ${fmt(Math.max(...values))} ms (n=${values.length}; target ${target})`)

async function main () {
  console.log(`load before: ${os.loadavg().map(v => v.toFixed(2)).join(' ')} (1/5/15 min), ${os.cpus().length} cores`)
  const relay = await startRelay()
  const bridge = await startBridge(['--Relay:Url=' + relay.url, '--Relay:ReconnectMin=00:00:00.05', '--Relay:ReconnectMax=00:00:00.5'])
  await bridge.process.waitFor(/^Relay: connected$/, 30000, true)
  const options = () => ({ domains: { 'relay.test': relay.url }, client: { relay: 'wss://relay.test' }, paired: { bridge: bridge.id, token: bridge.token, ws: bridge.api } })
  try {
    // Warm-up: JIT on both sides.
    for (let i = 0; i < 5; i++) { const p = phone(bridge, options()); await p.client.connect(); await p.client.devices(); p.dispose() }

    const connects = []
    for (let i = 0; i < RUNS; i++) {
      const p = phone(bridge, options())
      const t = process.hrtime.bigint()
      await p.client.connect()
      await p.client.devices()
      connects.push(ms(t))
      p.dispose()
    }
    line('connect() on the cached address → first devices() reply', connects, '≤ 50 ms')

    const toRelay = []
    const toLan = []
    const p = phone(bridge, options())
    await p.client.connect()
    await p.client.devices()
    for (let i = 0; i < Math.min(RUNS, 15); i++) {
      let t = process.hrtime.bigint()
      p.wx.setNetwork('4g')
      await pathWithin(p.client, 'relay', 10000)
      toRelay.push(ms(t))
      t = process.hrtime.bigint()
      p.wx.setNetwork('wifi')
      await pathWithin(p.client, 'lan', 20000)
      toLan.push(ms(t))
    }
    line('network change → path relay', toRelay, '≤ 2000 ms')
    line('Wi-Fi back → path lan', toLan, '≤ 5000 ms')

    const bare = await bareClient(bridge.api, bridge.token)
    const sdk = []
    const raw = []
    let power = 'on'
    const flip = () => (power = power === 'on' ? 'off' : 'on')
    for (let i = 0; i < 10; i++) { await p.client.set('lamp-1', { power: flip() }); await bare.request('set', { device: 'lamp-1', state: { power: flip() } }) }
    const round = Math.max(10, Math.floor(SETS / 8))
    for (let r = 0; r < 8; r++) {
      for (let i = 0; i < round; i++) {
        const t = process.hrtime.bigint()
        await p.client.set('lamp-1', { power: flip() })
        sdk.push(ms(t))
      }
      for (let i = 0; i < round; i++) {
        const t = process.hrtime.bigint()
        const reply = await bare.request('set', { device: 'lamp-1', state: { power: flip() } })
        if (!reply.ok) throw new Error(JSON.stringify(reply))
        raw.push(ms(t))
      }
    }
    bare.close()
    line('set over the LAN, SDK', sdk, 'within 10 % of bare ws')
    line('set over the LAN, bare ws', raw, '')
    console.log(`SDK/bare set p50 ratio: ${(pct(sdk, 50) / pct(raw, 50)).toFixed(3)}`)
    p.dispose()
  } finally {
    await bridge.stop()
    await relay.stop()
    console.log(`load after: ${os.loadavg().map(v => v.toFixed(2)).join(' ')}`)
  }
}

main().catch(e => { console.error(e); process.exit(1) })
