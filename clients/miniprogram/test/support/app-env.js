'use strict'
// What the sample mini-program's pages run in under test: a DOM (jsdom) for miniprogram-simulate,
// a `wx` with what the pages call (navigation, system info), and getApp().client backed by the
// SDK's real protocol core over a transport that plays the bridge (it answers every op like the
// API does, from a list of devices).
const path = require('node:path')
const { JSDOM } = require('jsdom')

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true })
global.window = dom.window
global.document = dom.window.document
for (const k of ['Element', 'Node', 'Event', 'CustomEvent', 'HTMLElement', 'MouseEvent', 'TouchEvent', 'navigator']) global[k] = dom.window[k]

const simulate = require('miniprogram-simulate')
const { Core } = require('../../sdk/lib/core.js')

const APP = path.join(__dirname, '../../app')

/** The bridge's side of the protocol, answering as docs/protocol.md says. */
class FakeBridge {
  constructor (devices, scenes) {
    this.devices = JSON.parse(JSON.stringify(devices))
    this.scenes = scenes || []
    this.frames = []
    this.failures = {} // op -> { code, message } for the next request of that op
    this.waiters = []
    this.transport = { send: text => this._receive(JSON.parse(text)), close () {}, onMessage: null, onClose: null }
  }

  /** The next frame with this op (or one already sent and not yet taken). */
  next (op) {
    const i = this.frames.findIndex(f => f.op === op && !f.taken)
    if (i >= 0) { this.frames[i].taken = true; return Promise.resolve(this.frames[i]) }
    return new Promise((resolve, reject) => {
      const w = { op, resolve }
      w.timer = setTimeout(() => reject(new Error('no ' + op + ' frame within 5 s; sent: ' + JSON.stringify(this.frames.map(f => f.op)))), 5000)
      this.waiters.push(w)
    })
  }

  sent (op) { return this.frames.filter(f => f.op === op) }

  event (e) { this.transport.onMessage(JSON.stringify(e)) }

  _receive (frame) {
    this.frames.push(frame)
    const w = this.waiters.find(x => x.op === frame.op)
    if (w) { this.waiters.splice(this.waiters.indexOf(w), 1); clearTimeout(w.timer); frame.taken = true; w.resolve(frame) }
    setImmediate(() => this._answer(frame))
  }

  _answer (f) {
    const reply = fields => this.transport.onMessage(JSON.stringify(Object.assign({ id: f.id, ok: true }, fields)))
    const failure = this.failures[f.op]
    if (failure) {
      delete this.failures[f.op]
      return this.transport.onMessage(JSON.stringify({ id: f.id, ok: false, error: failure }))
    }
    const device = this.devices.find(d => d.id === f.device)
    switch (f.op) {
      case 'devices': return reply({ devices: this.devices })
      case 'get': return device ? reply({ device }) : this.transport.onMessage(JSON.stringify({ id: f.id, ok: false, error: { code: 'unknown_device', message: 'no such device' } }))
      case 'set':
        Object.assign(device.state, f.state)
        reply({ state: device.state })
        return this.event({ event: 'state', device: device.id, state: device.state })
      case 'scenes': return reply({ scenes: this.scenes })
      default: return reply({})
    }
  }
}

/** getApp().client as the pages use it: the SDK's client surface on the real core. */
async function appClient (bridge, extra) {
  const core = new Core({ heartbeatMs: 0 })
  await core.attach(bridge.transport)
  const calls = { pair: [], provisionSoftAp: [] }
  const client = Object.assign({
    bridge: 'bridge-1',
    path: 'lan',
    calls,
    connect: () => Promise.resolve('lan'),
    devices: () => core.devices(),
    get: id => core.get(id),
    set: (id, state) => core.set(id, state),
    request: (op, fields) => core.request(op, fields),
    cached: id => core.cached(id),
    on: (e, fn) => { core.on(e, fn); return client },
    off: (e, fn) => { core.off(e, fn); return client },
    emit: (e, v) => core.emit(e, v),
    pair: r => { calls.pair.push(r); return Promise.resolve({ bridge: 'bridge-1' }) },
    provisionSoftAp: r => { calls.provisionSoftAp.push(r); return Promise.resolve({ kind: 'esp-idf', redirect: null }) }
  }, extra)
  return client
}

/** The `wx` the pages call, recording navigation. */
function installWx (language) {
  const wx = {
    language: language || 'zh_CN',
    platform: 'android',
    navigations: [],
    getSystemInfoSync: () => ({ language: wx.language, platform: wx.platform }),
    navigateTo: o => wx.navigations.push(['navigateTo', o.url]),
    redirectTo: o => wx.navigations.push(['redirectTo', o.url]),
    reLaunch: o => wx.navigations.push(['reLaunch', o.url]),
    setNavigationBarTitle: () => {},
    stopPullDownRefresh: () => {}
  }
  global.wx = wx
  return wx
}

function useClient (client) { global.getApp = () => ({ client }) }

/** Loads and renders a page or component of the app (paths like 'pages/ac/ac'). */
function render (relative, properties) {
  const id = simulate.load(path.join(APP, relative), { compiler: 'simulate', rootPath: APP })
  const comp = simulate.render(id, properties)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

/** Lets promise callbacks and the simulator's async dispatch run. */
function settle () { return new Promise(resolve => setImmediate(resolve)) }

async function tap (comp, selector) {
  const node = comp.querySelector(selector)
  if (!node) throw new Error('nothing matches ' + selector + ' in ' + comp.dom.innerHTML)
  node.dispatchEvent('tap')
  await settle()
}

module.exports = { FakeBridge, appClient, installWx, useClient, render, settle, tap, simulate }
