'use strict'
// A fake `wx` for the SDK's end-to-end tests, written from WeChat's documentation (PROTOCOLS.md §8:
// wx.connectSocket / SocketTask, wx.request, wx.createUDPSocket, wx.startLocalServiceDiscovery,
// wx.getNetworkType / onNetworkStatusChange, wx.getLocalIPAddress, onAppHide / onAppShow, storage)
// on real loopback sockets: npm `ws`, Node's http and dgram, npm `multicast-dns`.
//
// WeChat's rules it keeps: a `ws://`/`http://` URL must be an IPv4 address in the phone's subnet
// (the LAN, reachable only on Wi-Fi) on an allowed port; anything else must be `wss://`/`https://`
// to a domain configured for the mini-program (`domains` maps those names to the loopback servers
// that play them); at most five WebSockets at once. Switches for tests: platform (iOS has no
// mDNS), network type changes, app hide/show; it records the most sockets ever open at once.
const http = require('node:http')
const WebSocket = require('ws')
const { createUdpSocket, MdnsBrowser } = require('./fake-wx-udp.js')

const MAX_SOCKETS = 5
const FORBIDDEN_PORTS = [1099, 1433, 1521, 1719, 1720, 1723, 2049, 2375, 3128, 3306, 3389, 3659, 4045, 5060, 5061,
  5432, 5984, 6000, 6379, 6566, 7001, 7002, 8443, 8888, 9200, 9300, 10051, 10080, 11211, 27017, 27018, 27019]

function portAllowed (port) {
  return port >= 1024 && !(port >= 8000 && port <= 8100) && FORBIDDEN_PORTS.indexOf(port) < 0
}

function ipInt (ip) {
  return ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0)
}

function later (fn) { setImmediate(fn) }

class FakeWx {
  constructor (options) {
    const o = options || {}
    this.platform = o.platform || 'android'
    this.network = o.network || 'wifi'
    this.domains = o.domains || {} // 'relay.test' -> 'ws://127.0.0.1:1234'
    this.localip = o.localip || '127.0.0.50'
    this.netmask = o.netmask || '255.0.0.0'
    this.mdnsPort = o.mdnsPort || 5353
    this.storage = new Map()
    this.sockets = new Set() // SocketTasks not yet closed
    this.maxSockets = 0 // the most open at once
    this.socketLog = [] // every URL asked for
    this.hidden = false
    this.udpSends = [] // every UDP datagram sent: { address, port }
    this.mdnsScans = 0 // scans started successfully
    this.afterSend = null // (task, data) => void, called after a frame went out: tests act "in the middle"
    this.suspendMs = o.suspendMs || 5000 // hidden this long, WeChat suspends the app and its sockets die
    this.refuseAfterShowMs = o.refuseAfterShowMs || 0 // connectSocket fails this long after onAppShow
    this._refuseUntil = 0
    this._suspendTimer = null
    this._socketWaiters = []
    this.broadcastRefused = !!o.broadcastRefused // iOS 14+ without the multicast entitlement: errno 65
    this._handlers = { network: [], hide: [], show: [], found: [], stop: [] }
    this._mdns = null
  }

  // ---- switches for tests ---------------------------------------------------------------------

  /** The phone's network changes: off Wi-Fi, LAN sockets die (without delivering anything more). */
  setNetwork (type) {
    this.network = type
    if (type !== 'wifi') for (const task of [...this.sockets]) if (task._lan) task._die('network changed')
    for (const fn of [...this._handlers.network]) fn({ isConnected: type !== 'none', networkType: type })
  }

  /** onAppHide; ~5 s later WeChat suspends the app, and sockets still open die. */
  hide () {
    this.hidden = true
    for (const fn of [...this._handlers.hide]) fn({})
    this._suspended = new Promise(resolve => {
      this._suspendTimer = setTimeout(() => {
        this.suspended = true
        for (const task of [...this.sockets]) task._die('suspended')
        resolve()
      }, this.suspendMs)
    })
  }

  /** Resolves when WeChat suspends the hidden app (suspendMs after hide). */
  whenSuspended (timeoutMs) {
    return Promise.race([this._suspended, new Promise((resolve, reject) => setTimeout(() => reject(new Error('not suspended within ' + timeoutMs + ' ms')), timeoutMs).unref())])
  }

  /** onAppShow; with refuseAfterShowMs, connecting too early fails with runningState=suspend (PROTOCOLS.md §8.4). */
  show () {
    clearTimeout(this._suspendTimer)
    this.hidden = false
    this.suspended = false
    this._refuseUntil = Date.now() + this.refuseAfterShowMs
    for (const fn of [...this._handlers.show]) fn({ path: 'pages/home/home', scene: 1001 })
  }

  /** Resolves once exactly `count` sockets are open; rejects after timeoutMs. */
  whenSockets (count, timeoutMs) {
    if (this.sockets.size === count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const w = { count, resolve }
      w.timer = setTimeout(() => {
        this._socketWaiters = this._socketWaiters.filter(x => x !== w)
        reject(new Error(this.sockets.size + ' sockets open, not ' + count + ', after ' + timeoutMs + ' ms'))
      }, timeoutMs)
      this._socketWaiters.push(w)
    })
  }

  _socketsChanged () {
    const ready = this._socketWaiters.filter(w => w.count === this.sockets.size)
    this._socketWaiters = this._socketWaiters.filter(w => w.count !== this.sockets.size)
    for (const w of ready) { clearTimeout(w.timer); w.resolve() }
  }

  /** Stops everything still running (mDNS, sockets) at the end of a test. */
  dispose () {
    clearTimeout(this._suspendTimer)
    if (this._mdns) this._mdns.stop()
    for (const task of [...this.sockets]) task._die('test over')
  }

  // ---- where a URL may go ---------------------------------------------------------------------

  /** The real URL to use, or an errMsg as WeChat would refuse it. */
  _route (url, secure, plain) {
    if (this.network === 'none') return { error: 'fail network is down' }
    const m = /^([a-z]+):\/\/([^/:?#]+)(?::(\d+))?(.*)$/.exec(url)
    if (!m) return { error: 'fail invalid url "' + url + '"' }
    const [, scheme, host, portText, rest] = m
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
      const port = Number(portText || 80)
      if (scheme !== plain) return { error: 'fail invalid url scheme for a LAN address' }
      if (this.network !== 'wifi') return { error: 'fail invalid address (not on the LAN)' }
      const mask = ipInt(this.netmask)
      if ((ipInt(host) & mask) !== (ipInt(this.localip) & mask) || host === this.localip) return { error: 'fail invalid address' }
      if (plain === 'ws' && !portAllowed(port)) return { error: 'fail port ' + port + ' is not allowed' }
      return { url: plain + '://' + host + ':' + port + rest, lan: true }
    }
    if (scheme !== secure) return { error: 'fail url not in domain list' }
    const target = this.domains[host]
    if (!target) return { error: 'fail url not in domain list: ' + host }
    return { url: target.replace(/^(\w+):/, plain + ':') + rest, lan: false }
  }

  // ---- WebSocket ------------------------------------------------------------------------------

  connectSocket (opt) {
    this.socketLog.push(opt.url)
    const task = new SocketTask(this)
    let route = this._route(opt.url, 'wss', 'ws')
    if (this.hidden || Date.now() < this._refuseUntil) route = { error: 'fail WebSocket is not connected, runningState=suspend' }
    if (route.error || this.sockets.size >= MAX_SOCKETS) {
      const errMsg = 'connectSocket:' + (route.error || 'fail exceed max task count')
      later(() => {
        if (opt.fail) opt.fail({ errMsg })
        task._emit('error', { errMsg })
        task._emit('close', { code: 1006, reason: errMsg })
      })
      return task
    }
    this.sockets.add(task)
    this.maxSockets = Math.max(this.maxSockets, this.sockets.size)
    this._socketsChanged()
    task._lan = route.lan
    task._open(route.url, opt.header || {}, opt.timeout)
    if (opt.success) later(() => opt.success({ errMsg: 'connectSocket:ok' }))
    return task
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  /** wx.getRandomValues({ length, success({ randomValues: ArrayBuffer }) }) (base library 2.22.1+). */
  getRandomValues (opt) {
    const bytes = require('node:crypto').randomBytes(opt.length)
    later(() => opt.success && opt.success({ randomValues: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), errMsg: 'getRandomValues:ok' }))
  }

  request (opt) {
    const route = this._route(opt.url, 'https', 'http')
    const fail = errMsg => later(() => { if (opt.fail) opt.fail({ errMsg: 'request:' + errMsg }); if (opt.complete) opt.complete({}) })
    if (route.error) return fail(route.error)
    const method = (opt.method || 'GET').toUpperCase()
    const header = Object.assign({}, opt.header || {})
    let body = null
    if (opt.data instanceof ArrayBuffer) body = Buffer.from(opt.data)
    else if (opt.data !== undefined && method !== 'GET') {
      const json = /json/i.test(header['content-type'] || header['Content-Type'] || 'application/json')
      body = Buffer.from(json ? JSON.stringify(opt.data) : typeof opt.data === 'string' ? opt.data : new URLSearchParams(opt.data).toString())
      if (!header['content-type'] && !header['Content-Type']) header['content-type'] = 'application/json'
    }
    const req = http.request(route.url, { method, headers: header, timeout: opt.timeout || 60000 }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        let data
        if (opt.responseType === 'arraybuffer') data = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)
        else {
          data = raw.toString('utf8')
          if ((opt.dataType || 'json') === 'json') try { data = JSON.parse(data) } catch (e) { /* stays text, as in WeChat */ }
        }
        const result = { statusCode: res.statusCode, data, header: res.headers, errMsg: 'request:ok' }
        if (opt.success) opt.success(result)
        if (opt.complete) opt.complete(result)
      })
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', e => fail('fail ' + e.message))
    if (body) req.write(body)
    req.end()
    return { abort: () => req.destroy(new Error('abort')) }
  }

  // ---- UDP and mDNS ---------------------------------------------------------------------------

  createUDPSocket () { return createUdpSocket(this) }

  startLocalServiceDiscovery (opt) {
    const fail = errMsg => later(() => opt.fail && opt.fail({ errMsg: 'startLocalServiceDiscovery:' + errMsg }))
    if (this.platform === 'ios') return fail('fail not supported') // iOS WeChat ≥ 7.0.18 (PROTOCOLS.md §8.1)
    if (!opt.serviceType) return fail('fail invalid param')
    if (this._mdns) return fail('fail scan task already exist')
    if (this.network !== 'wifi') return fail('fail network is not wifi')
    this.mdnsScans++
    this._mdns = new MdnsBrowser(opt.serviceType, this.mdnsPort,
      found => { for (const fn of [...this._handlers.found]) fn(found) },
      () => { this._mdns = null; for (const fn of [...this._handlers.stop]) fn({}) })
    later(() => opt.success && opt.success({ errMsg: 'startLocalServiceDiscovery:ok' }))
  }

  stopLocalServiceDiscovery (opt) {
    const o = opt || {}
    if (!this._mdns) return later(() => o.fail && o.fail({ errMsg: 'stopLocalServiceDiscovery:fail task not found' }))
    this._mdns.stop()
    later(() => o.success && o.success({ errMsg: 'stopLocalServiceDiscovery:ok' }))
  }

  onLocalServiceFound (fn) { this._handlers.found.push(fn) }
  offLocalServiceFound (fn) { this._off('found', fn) }
  onLocalServiceDiscoveryStop (fn) { this._handlers.stop.push(fn) }
  offLocalServiceDiscoveryStop (fn) { this._off('stop', fn) }
  onLocalServiceLost () {}
  offLocalServiceLost () {}
  onLocalServiceResolveFail () {}
  offLocalServiceResolveFail () {}

  getLocalIPAddress (opt) {
    if (this.network !== 'wifi') return later(() => opt.fail && opt.fail({ errMsg: 'getLocalIPAddress:fail not on wifi' }))
    later(() => opt.success && opt.success({ errMsg: 'getLocalIPAddress:ok', localip: this.localip, netmask: this.netmask }))
  }

  // ---- network, lifecycle, storage, system ----------------------------------------------------

  getNetworkType (opt) { later(() => opt.success && opt.success({ networkType: this.network, errMsg: 'getNetworkType:ok' })) }
  onNetworkStatusChange (fn) { this._handlers.network.push(fn) }
  offNetworkStatusChange (fn) { this._off('network', fn) }
  onAppHide (fn) { this._handlers.hide.push(fn) }
  offAppHide (fn) { this._off('hide', fn) }
  onAppShow (fn) { this._handlers.show.push(fn) }
  offAppShow (fn) { this._off('show', fn) }

  getSystemInfoSync () { return { platform: this.platform, language: 'zh_CN', SDKVersion: '3.5.0' } }

  setStorageSync (key, value) { this.storage.set(key, JSON.stringify(value)) }
  getStorageSync (key) { return this.storage.has(key) ? JSON.parse(this.storage.get(key)) : '' }
  removeStorageSync (key) { this.storage.delete(key) }

  _off (kind, fn) { this._handlers[kind] = this._handlers[kind].filter(f => f !== fn) }
}

/** WeChat's SocketTask over a real `ws` client. */
class SocketTask {
  constructor (wx) {
    this._wx = wx
    this._handlers = { open: [], message: [], close: [], error: [] }
    this._ws = null
    this._dead = false
  }

  onOpen (fn) { this._handlers.open.push(fn) }
  onMessage (fn) { this._handlers.message.push(fn) }
  onClose (fn) { this._handlers.close.push(fn) }
  onError (fn) { this._handlers.error.push(fn) }

  send (opt) {
    if (this._dead || !this._ws || this._ws.readyState !== WebSocket.OPEN) {
      return later(() => opt.fail && opt.fail({ errMsg: 'sendSocketMessage:fail WebSocket is not connected' }))
    }
    this._ws.send(opt.data, err => {
      if (err) { if (opt.fail) opt.fail({ errMsg: 'sendSocketMessage:fail ' + err.message }) } else if (opt.success) opt.success({ errMsg: 'sendSocketMessage:ok' })
    })
    if (this._wx.afterSend) this._wx.afterSend(this, opt.data)
  }

  close (opt) {
    const o = opt || {}
    if (this._ws && !this._dead) this._ws.close(o.code || 1000, o.reason || '')
    later(() => o.success && o.success({ errMsg: 'closeSocket:ok' }))
  }

  _emit (kind, value) {
    for (const fn of [...this._handlers[kind]]) fn(value)
  }

  _open (url, header, timeout) {
    const ws = this._ws = new WebSocket(url, { headers: header, handshakeTimeout: timeout || 60000, perMessageDeflate: false })
    ws.on('open', () => { if (!this._dead) this._emit('open', { header: {}, profile: {} }) })
    ws.on('message', (data, binary) => {
      if (!this._dead) this._emit('message', { data: binary ? data.buffer.slice(data.byteOffset, data.byteOffset + data.length) : data.toString('utf8') })
    })
    ws.on('error', err => { if (!this._dead) this._emit('error', { errMsg: 'connectSocket:fail ' + err.message }) })
    ws.on('close', (code, reason) => this._closed(code, reason.toString()))
  }

  _closed (code, reason) {
    if (!this._wx.sockets.delete(this)) return
    this._wx._socketsChanged()
    this._dead = true
    this._emit('close', { code, reason })
  }

  /** The link is gone from under the app (network change, suspension): nothing more arrives. */
  _die (why) {
    if (this._dead) return
    this._dead = true
    if (this._wx.sockets.delete(this)) this._wx._socketsChanged()
    if (this._ws) this._ws.terminate()
    later(() => {
      this._emit('error', { errMsg: 'connectSocket:fail ' + why })
      this._emit('close', { code: 1006, reason: why })
    })
  }
}

module.exports = { FakeWx }
