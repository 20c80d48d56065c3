// The browser's side of the protocol core (clients/miniprogram/sdk/lib/core.js, served as
// /lib/core.js): a WebSocket transport, sign-in checks and reconnection with back-off.
//
// A classic script, not a module, so that it runs the moment it arrives, while the
// console's modules are still being fetched (docs/benchmarks.md, "Issue #12"): with a token in the
// address or in storage it opens the WebSocket at once and, as soon as the core is there too,
// attaches a core to it, which subscribes, and asks for the devices and the temperature history.
// The console adopts that core (createConnection), so its first cards wait for no round trip
// after its modules have run. Events that arrive before the console listens are kept for it.
// Exposes globalThis.DeviceBridgeConnection; needs globalThis.DeviceBridgeCore only once it runs.
;(function () {
  'use strict'
  var API_PATH = '/api/v1/ws'
  var TOKEN_KEY = 'devicebridge.token'
  var MISSED_MAX = 200 // events kept for the console until it listens (a load of a few seconds at most)

  /**
   * Provisioning progress (`{"event":"provision","id":…,"step":…}`) carries the request's id, which
   * the core would take for the reply: the transport hands those frames to these listeners instead.
   */
  var progressListeners = new Set()
  function onProvisionProgress (fn) { progressListeners.add(fn); return function () { progressListeners.delete(fn) } }

  function isProgress (text) {
    if (text.indexOf('"provision"') < 0) return false
    try {
      var msg = JSON.parse(text)
      if (msg.event !== 'provision') return false
      progressListeners.forEach(function (fn) { fn(msg) })
      return true
    } catch (e) { return false }
  }

  function core () { return globalThis.DeviceBridgeCore }

  function newCore () { return new (core().Core)({ timeoutMs: 10000, heartbeatMs: 15000 }) }

  function openSocket (token) {
    var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
    // Browsers cannot set headers on a WebSocket: the token goes in the query (CONTRACT.md, Auth).
    return new WebSocket(scheme + '//' + location.host + API_PATH + '?access_token=' + encodeURIComponent(token))
  }

  /** A transport for Core.attach over a socket, once it is open; rejects if it closes first. */
  function transportOver (socket) {
    return new Promise(function (resolve, reject) {
      var transport = {
        send: function (text) { socket.send(text) },
        close: function () { socket.onclose = null; socket.close(1000) },
        onMessage: null,
        onClose: null
      }
      socket.onmessage = function (e) { if (!isProgress(e.data) && transport.onMessage) transport.onMessage(e.data) }
      var opened = function () {
        socket.onclose = function (e) { if (transport.onClose) transport.onClose({ code: e.code, reason: e.reason }) }
        resolve(transport)
      }
      var refused = function () { reject(new (core().BridgeError)('unreachable', 'the bridge did not accept the connection')) }
      socket.onclose = refused
      if (socket.readyState === WebSocket.OPEN) opened()
      // The early socket can have failed (a refused token) before lib/core.js arrived: its close
      // event is gone, so say so now or the page waits for ever.
      else if (socket.readyState === WebSocket.CLOSED) refused()
      else socket.onopen = opened
    })
  }

  /** Calls fn once lib/core.js has run: now, or when its script element has loaded. */
  function whenCore (fn) {
    if (core()) return fn()
    var script = document.querySelector('script[src$="lib/core.js"]')
    if (script) script.addEventListener('load', function () { if (core()) fn() })
  }

  // The start: everything here is adopted by createConnection for the same token, or dropped.
  var early = null // { token, socket, core, attached, devices, history, missed, keep }
  ;(function startEarly () {
    var match = /(?:^#|&)token=([^&]+)/.exec(location.hash)
    var token = null
    try { token = match ? decodeURIComponent(match[1]) : localStorage.getItem(TOKEN_KEY) } catch (e) { return }
    if (!token) return
    early = { token: token, socket: openSocket(token), core: null }
    whenCore(function () {
      if (!early || early.core) return
      var c = early.core = newCore()
      var missed = early.missed = []
      early.keep = function (e) { if (missed.length < MISSED_MAX) missed.push(e) }
      core().API_EVENTS.forEach(function (name) { c.on(name, early.keep) })
      early.attached = transportOver(early.socket).then(function (t) { return c.attach(t) })
      // Queued by the core until the subscribe is answered, then sent at once, in this order.
      early.devices = c.devices()
      early.history = c.request('history')
      // Whoever adopts them awaits these; until then a failure is not "unhandled".
      ;[early.attached, early.devices, early.history].forEach(function (p) { p.catch(function () {}) })
    })
  })()

  /** What was started for this token (the core, its first requests, the events so far), once; else null. */
  function takeEarly (token) {
    var e = early
    early = null
    if (!e) return null
    if (e.core) core().API_EVENTS.forEach(function (name) { e.core.off(name, e.keep) })
    if (e.token === token && e.core) return e
    if (e.core) e.core.close()
    else e.socket.close(1000)
    return null
  }

  /**
   * Why a connection failed: asks the same endpoint over plain HTTP, which answers 401 with the
   * reason when the token is refused and 400 ("speaks WebSocket") when it is fine.
   * → 'unauthorized' (with message) | 'unreachable'
   */
  async function diagnose (token) {
    try {
      var r = await fetch(API_PATH, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' })
      if (r.status === 401 || r.status === 403) {
        var body = await r.json().catch(function () { return null })
        return { code: 'unauthorized', message: (body && body.error && body.error.message) || 'the bridge refused this sign-in' }
      }
      return { code: 'unreachable', message: 'the bridge answered but refused the connection (' + r.status + ')' }
    } catch (e) {
      return { code: 'unreachable', message: 'the bridge cannot be reached' }
    }
  }

  /**
   * Keeps one core connected while a token is good.
   * status(kind, message): 'connecting' | 'connected' | 'lost' (retrying) | 'unauthorized' (gave up)
   * The result's `first` holds the devices and history requests already under way (or null) and
   * `missed` the events that came before the caller could listen (replay them once it does).
   */
  function createConnection (token, status) {
    var started = takeEarly(token)
    var c = started ? started.core : newCore()
    var attempt = 0
    var stopped = false
    var timer = null

    async function connect () {
      if (stopped) return
      status(attempt === 0 ? 'connecting' : 'lost', attempt === 0 ? 'Connecting…' : 'Connection to the bridge lost; reconnecting…')
      try {
        if (started) {
          var attaching = started.attached
          started = null
          await attaching
          // The early socket can have closed between its subscribe and now: then as any break.
          if (!c.connected) throw new (core().BridgeError)('disconnected', 'the connection closed')
        } else {
          await c.attach(await transportOver(openSocket(token)))
        }
        attempt = 0
        status('connected', 'Connected')
      } catch (e) {
        var why = await diagnose(token)
        if (why.code === 'unauthorized') {
          stopped = true
          status('unauthorized', why.message)
          return
        }
        attempt++
        status('lost', 'The bridge cannot be reached; retrying…')
        timer = setTimeout(connect, 500 + core().backoffDelay(attempt, 500, 10000))
      }
    }

    c.on('detached', function () {
      if (stopped) return
      attempt = Math.max(attempt, 1)
      clearTimeout(timer)
      timer = setTimeout(connect, core().backoffDelay(0, 200, 200))
    })

    var first = started ? { devices: started.devices, history: started.history } : null
    var missed = started ? started.missed : []
    connect()
    return {
      core: c,
      first: first,
      missed: missed,
      /** A request with its own time limit (provisioning takes longer than the core's default). */
      request: function (op, fields, timeoutMs) {
        return c.request(op, fields, timeoutMs ? { timeoutMs: timeoutMs } : undefined)
      },
      close: function () { stopped = true; clearTimeout(timer); c.close() }
    }
  }

  /** POST /api/v1/pair → { token, bridge } or throws an Error with the bridge's message. */
  async function pairWithCode (code, name) {
    var r = await fetch('/api/v1/pair', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: code, name: name })
    })
    var body = await r.json().catch(function () { return null })
    if (!r.ok) throw new Error((body && body.error && body.error.message) || 'pairing failed (' + r.status + ')')
    return body
  }

  globalThis.DeviceBridgeConnection = {
    TOKEN_KEY: TOKEN_KEY,
    createConnection: createConnection,
    pairWithCode: pairWithCode,
    onProvisionProgress: onProvisionProgress
  }
})()
