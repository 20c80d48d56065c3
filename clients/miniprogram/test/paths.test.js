'use strict'
// Unit tests of the path logic (sdk/lib/paths.js) with fake timers and a scripted adapter: the order
// in which the bridge is looked for, moves between LAN and relay, back-off with jitter, the app's
// lifecycle, the two-socket limit.
const test = require('node:test')
const assert = require('node:assert/strict')
const FakeTimers = require('@sinonjs/fake-timers')
const { Core, BridgeError } = require('../sdk/lib/core.js')
const { PathKeeper } = require('../sdk/lib/paths.js')
const { FakeTransport } = require('./support/fake-transport.js')

const LAST = 'ws://192.168.1.20:8970/api/v1/ws'
const MDNS = 'ws://192.168.1.21:8970/api/v1/ws'
const BEACON = 'ws://192.168.1.22:8970/api/v1/ws'
const RELAY = 'wss://relay.test/api/v1/bridges/b1/ws'

/** A transport whose bridge answers subscribe, devices and ping by itself. */
class AnsweringTransport extends FakeTransport {
  send (text) {
    super.send(text)
    const f = this.sent[this.sent.length - 1]
    if (['subscribe', 'devices', 'ping', 'set'].includes(f.op) && !this.silent) {
      this.deliver(Object.assign({ id: f.id, ok: true }, f.op === 'devices' ? { devices: [] } : f.op === 'set' ? { state: f.state } : {}))
    }
  }
}

/** The wx adapter's surface, scripted: which URLs answer, what mDNS and the beacon find. */
class ScriptedAdapter {
  constructor (clock) {
    this.clock = clock
    this.network = 'wifi'
    this.answering = new Set() // URLs that open
    this.refusing = {} // URL -> error code
    this.mdns = [] // services found
    this.beacon = [] // beacon replies
    this.log = []
    this.open = new Set()
    this.maxOpen = 0
    this.handlers = {}
    this.transports = {}
  }

  get openCount () { return this.open.size }
  whenBelow () { return Promise.resolve() }
  networkType () { return Promise.resolve(this.network) }
  onNetworkChange (fn) { this.handlers.network = fn }
  onHide (fn) { this.handlers.hide = fn }
  onShow (fn) { this.handlers.show = fn }
  dispose () {}

  openSocket (url) {
    this.log.push('open ' + url)
    return new Promise((resolve, reject) => {
      this.clock.setTimeout(() => {
        if (this.refusing[url]) return reject(new BridgeError(this.refusing[url], 'refused'))
        if (this.network === 'none' || !this.answering.has(url) || (this.network !== 'wifi' && url.startsWith('ws:'))) {
          return reject(new BridgeError('unreachable', 'cannot connect to ' + url))
        }
        const t = new AnsweringTransport(url)
        const close = t.close.bind(t)
        t.close = () => { close(); this.open.delete(t) }
        const breaks = t.breaks.bind(t)
        t.breaks = reason => { this.open.delete(t); breaks(reason) }
        this.open.add(t)
        this.maxOpen = Math.max(this.maxOpen, this.open.size)
        this.transports[url] = t
        resolve(t)
      }, 10)
    })
  }

  findByMdns (accept, ms) {
    this.log.push('mdns')
    const hit = this.mdns.find(s => accept(s))
    return new Promise(resolve => this.clock.setTimeout(() => resolve(hit || null), hit ? 50 : ms))
  }

  findByBeacon (accept, port, ms) {
    this.log.push('beacon')
    const hit = this.beacon.find(r => accept(r))
    return new Promise(resolve => this.clock.setTimeout(() => resolve(hit || null), hit ? 50 : ms))
  }

  /** Wi-Fi lost: LAN sockets die, then WeChat tells the app. */
  setNetwork (type) {
    this.network = type
    if (type !== 'wifi') for (const t of [...this.open]) if (t.name.startsWith('ws:')) t.breaks('network')
    this.handlers.network({ isConnected: type !== 'none', networkType: type })
  }
}

function setup (options) {
  const o = options || {}
  const clock = FakeTimers.createClock()
  const core = new Core({ timers: clock, heartbeatMs: 0 })
  const adapter = new ScriptedAdapter(clock)
  const remembered = []
  const paths = []
  const pairing = { bridge: 'b1', token: 't', ws: o.last === undefined ? LAST : o.last }
  const keeper = new PathKeeper({
    core,
    adapter,
    pairing: () => pairing,
    remember: ws => remembered.push(ws),
    relay: o.relay === undefined ? 'wss://relay.test/' : o.relay,
    emit: (e, v) => { if (e === 'path') paths.push(v); core.emit(e, v) },
    timers: clock,
    random: o.random || (() => 1)
  })
  return { clock, core, adapter, keeper, remembered, paths, pairing }
}

const service = (name, ip) => ({ serviceName: name, ip, port: 8970 })

test('the last address first, then mDNS, then the beacon, then the relay', async () => {
  const { clock, adapter, keeper, remembered } = setup()
  adapter.mdns = [service('DeviceBridge-other', '192.168.1.30')]
  adapter.beacon = [{ op: 'bridge', id: 'b1', ws: BEACON }]
  adapter.answering.add(BEACON)
  const connected = keeper.connect()
  await clock.tickAsync(5000)
  assert.equal(await connected, 'lan')
  assert.deepEqual(adapter.log, ['open ' + LAST, 'mdns', 'beacon', 'open ' + BEACON])
  assert.deepEqual(remembered, [BEACON])
})

test('mDNS finds the paired bridge by its instance name; the beacon is not asked', async () => {
  const { clock, adapter, keeper } = setup({ last: null })
  adapter.mdns = [service('DeviceBridge-b1', '192.168.1.21')]
  adapter.answering.add(MDNS)
  const connected = keeper.connect()
  await clock.tickAsync(1000)
  assert.equal(await connected, 'lan')
  assert.deepEqual(adapter.log, ['mdns', 'open ' + MDNS])
})

test('nothing on the LAN: the relay, with its URL built from the bridge id', async () => {
  const { clock, adapter, keeper } = setup()
  adapter.answering.add(RELAY)
  const connected = keeper.connect()
  await clock.tickAsync(10000)
  assert.equal(await connected, 'relay')
  assert.deepEqual(adapter.log.slice(0, 4), ['open ' + LAST, 'mdns', 'beacon', 'open ' + RELAY])
})

test('off Wi-Fi there is no LAN attempt at all', async () => {
  const { clock, adapter, keeper } = setup()
  adapter.network = '4g'
  adapter.answering.add(RELAY)
  const connected = keeper.connect()
  await clock.tickAsync(100)
  assert.equal(await connected, 'relay')
  assert.deepEqual(adapter.log, ['open ' + RELAY])
})

test('no relay and no bridge: unreachable; a refused token: unauthorized', async () => {
  const { clock, keeper } = setup({ relay: null })
  const failed = assert.rejects(keeper.connect(), e => e.code === 'unreachable')
  await clock.tickAsync(10000)
  await failed
  const second = setup()
  second.adapter.network = '4g'
  second.adapter.refusing[RELAY] = 'unauthorized'
  const refused = assert.rejects(second.keeper.connect(), e => e.code === 'unauthorized')
  await second.clock.tickAsync(100)
  await refused
})

test('leaving the Wi-Fi moves to the relay at once; the LAN is probed again once Wi-Fi is back', async () => {
  const { clock, adapter, keeper, paths } = setup()
  adapter.answering.add(LAST)
  adapter.answering.add(RELAY)
  const connected = keeper.connect()
  await clock.tickAsync(100)
  assert.equal(await connected, 'lan')
  adapter.setNetwork('4g')
  await clock.tickAsync(20)
  assert.equal(keeper.path, 'relay')
  adapter.log.length = 0
  await clock.tickAsync(120000)
  assert.deepEqual(adapter.log, [], 'no LAN probe off Wi-Fi')
  adapter.setNetwork('wifi')
  await clock.tickAsync(20)
  assert.equal(keeper.path, 'lan')
  assert.deepEqual(paths, ['lan', null, 'relay', 'lan'])
  assert.ok(adapter.maxOpen <= 2)
  await clock.tickAsync(5000)
  assert.equal(adapter.open.size, 1, 'the relay socket is closed once the LAN carries everything')
})

test('on the relay with Wi-Fi, the LAN is probed with jittered, growing delays until the bridge answers there', async () => {
  let r = 0
  const randoms = [1, 1, 0.5, 1, 1, 1, 1, 1]
  const { clock, adapter, keeper } = setup({ random: () => randoms[r++ % randoms.length] })
  adapter.answering.add(RELAY)
  const connected = keeper.connect()
  await clock.tickAsync(3020)
  assert.equal(await connected, 'relay')
  const probes = []
  const realOpen = adapter.openSocket.bind(adapter)
  adapter.openSocket = url => { if (url === LAST) probes.push(clock.now); return realOpen(url) }
  await clock.tickAsync(60000)
  // A probe takes 3010 ms here (last address, mDNS, beacon); the pauses between probes are
  // min(60 s, 2 s * 2^n) * random: 2 s * 1, 4 s * 1, 8 s * 0.5, 16 s * 1, ...
  assert.equal(probes[0] - 3020, 2000)
  assert.deepEqual(probes.slice(1, 4).map((t, i) => t - probes[i] - 3010), [4000, 4000, 16000])
  adapter.answering.add(LAST)
  await clock.tickAsync(70000)
  assert.equal(keeper.path, 'lan')
})

test('reconnecting after a loss backs off with jitter: 0.5 s, 1 s, 2 s, ... at random = 1', async () => {
  const { clock, adapter, keeper } = setup({ relay: null, last: LAST })
  adapter.answering.add(LAST)
  const connected = keeper.connect()
  await clock.tickAsync(100)
  await connected
  adapter.answering.delete(LAST)
  const attempts = []
  const realOpen = adapter.openSocket.bind(adapter)
  adapter.openSocket = url => { attempts.push(clock.now); return realOpen(url) }
  const start = clock.now
  adapter.transports[LAST].breaks('bridge restarted')
  await clock.tickAsync(30000)
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i])
  // Each attempt: the last address (10 ms), mDNS (1500 ms), the beacon (1500 ms), then the pause.
  assert.equal(attempts[0], start)
  assert.deepEqual(gaps.slice(0, 4), [3010 + 500, 3010 + 1000, 3010 + 2000, 3010 + 4000])
})

test('hidden: everything closes and nothing reconnects until shown again', async () => {
  const { clock, adapter, keeper, core } = setup()
  adapter.answering.add(LAST)
  const connected = keeper.connect()
  await clock.tickAsync(100)
  await connected
  adapter.handlers.hide()
  assert.equal(keeper.path, null)
  assert.equal(adapter.open.size, 0)
  adapter.log.length = 0
  await clock.tickAsync(600000)
  assert.deepEqual(adapter.log, [])
  assert.equal(core.connected, false)
  adapter.handlers.show()
  await clock.tickAsync(100)
  assert.equal(keeper.path, 'lan')
})

test('a token the relay refuses stops the retries, and requests waiting learn why', async () => {
  const { clock, adapter, keeper, core } = setup({ last: null })
  adapter.answering.add(RELAY)
  adapter.network = '4g'
  const connected = keeper.connect()
  await clock.tickAsync(100)
  await connected
  adapter.refusing[RELAY] = 'unauthorized'
  adapter.transports[RELAY].breaks('revoked')
  const waiting = assert.rejects(core.request('devices'), e => e.code === 'unauthorized')
  await clock.tickAsync(100)
  await waiting
  adapter.log.length = 0
  await clock.tickAsync(600000)
  assert.deepEqual(adapter.log, [])
})

test('no network at all: no attempts until it returns, then one at once', async () => {
  const { clock, adapter, keeper } = setup()
  adapter.answering.add(LAST)
  const connected = keeper.connect()
  await clock.tickAsync(100)
  await connected
  adapter.setNetwork('none')
  assert.equal(keeper.path, null, 'no network: no path, at once')
  await clock.tickAsync(100)
  adapter.log.length = 0
  await clock.tickAsync(600000)
  assert.deepEqual(adapter.log, [])
  adapter.setNetwork('wifi')
  await clock.tickAsync(20)
  assert.equal(keeper.path, 'lan')
})

test('a set in flight on a replaced relay goes out again on the next socket; never more than two sockets', async () => {
  const { clock, adapter, keeper, core } = setup()
  adapter.answering.add(LAST)
  adapter.answering.add(RELAY)
  adapter.network = '4g'
  const connected = keeper.connect()
  await clock.tickAsync(100)
  await connected
  adapter.transports[RELAY].silent = true
  const slow = core.set('lamp-1', { power: 'on' }) // in flight on the relay when the LAN takes over
  adapter.setNetwork('wifi')
  await clock.tickAsync(20)
  assert.equal(keeper.path, 'lan')
  assert.equal(adapter.open.size, 2, 'the relay drains its set')
  adapter.transports[LAST].breaks('bridge restarted') // → the relay again, while the old one drains
  await clock.tickAsync(3100)
  assert.deepEqual(await slow, { power: 'on' }, 'the set went out again on the new socket')
  assert.ok(adapter.maxOpen <= 2, 'saw ' + adapter.maxOpen)
})
