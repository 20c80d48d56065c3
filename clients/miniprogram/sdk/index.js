'use strict'
// devicebridge-miniprogram: reach a DeviceBridge from a WeChat mini-program, on the home's LAN
// or through the relay, with the same calls and events either way (CONTRACT.md, "The
// mini-program SDK"; README.md beside this file).
const { Core, BridgeError, API_EVENTS } = require('./lib/core.js')
const { createWxAdapter } = require('./lib/wx-adapter.js')
const { PathKeeper } = require('./lib/paths.js')
const { pair } = require('./lib/pairing.js')
const { provisionSoftAp } = require('./lib/provision.js')

function createClient (options) {
  const o = options || {}
  if (!o.wx) throw new TypeError('createClient needs { wx }')
  const timers = o.timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: t => clearTimeout(t) }
  const storageKey = o.storageKey || 'devicebridge'
  const adapter = createWxAdapter(o.wx, { timers })
  const core = new Core({ timeoutMs: o.timeoutMs, heartbeatMs: o.heartbeatMs, heartbeatTimeoutMs: o.heartbeatTimeoutMs, timers })
  const load = () => {
    const v = adapter.load(storageKey)
    return v && typeof v === 'object' && typeof v.token === 'string' && typeof v.bridge === 'string' ? v : null
  }
  const keeper = new PathKeeper({
    core,
    adapter,
    pairing: load,
    remember: ws => {
      const p = load()
      if (p && p.ws !== ws) adapter.save(storageKey, Object.assign({}, p, { ws }))
    },
    relay: o.relay,
    emit: (event, value) => core.emit(event, value),
    timers,
    random: o.random,
    options: o
  })

  const client = {
    /** 'lan', 'relay', or null while not connected. */
    get path () { return keeper.path },
    /** The paired bridge's id, or null before pairing. */
    get bridge () {
      const p = load()
      return p ? p.bridge : null
    },
    async pair (request) {
      const p = load()
      const paired = await pair(adapter, request || {}, {
        lastWs: p && p.ws,
        timeoutMs: o.timeoutMs || 10000,
        mdnsMs: o.mdnsMs || 1500,
        beaconMs: o.beaconMs || 1500,
        beaconPort: o.beaconPort || 8971
      })
      adapter.save(storageKey, paired)
      if (p && p.bridge !== paired.bridge) core.detach('paired with another bridge')
      return { bridge: paired.bridge }
    },
    connect: () => keeper.connect(),
    devices: () => core.devices(),
    get: device => core.get(device),
    set: (device, state) => core.set(device, state),
    request: (op, fields, options) => core.request(op, fields, options),
    /** The devices as last known (from replies and events), without asking the bridge. */
    cached: id => core.cached(id),
    on (event, fn) { core.on(event, fn); return client },
    off (event, fn) { core.off(event, fn); return client },
    provisionSoftAp: request => provisionSoftAp(adapter, request || {}, { timeoutMs: o.provisionTimeoutMs || 8000, timers }),
    /** Forgets the pairing (token, bridge id, last address) and closes the connection; pair() again later. */
    forget () {
      adapter.remove(storageKey)
      keeper.stop()
      core.detach('the pairing was forgotten')
      core.failQueued('not_paired', 'the pairing was forgotten')
    },
    close () {
      keeper.close()
      core.close()
    }
  }
  return client
}

module.exports = { createClient, BridgeError, EVENTS: API_EVENTS.concat(['path', 'warning']) }
