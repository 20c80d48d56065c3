/*
 * DeviceBridge protocol core: speaks the local API (docs/protocol.md) over any transport.
 * Requests by id with timeouts, events, a device cache, resync after a gap, a heartbeat, and
 * moving from one transport to another without losing a `set`. No sockets, no platform APIs:
 * the mini-program SDK (lib/wx-adapter.js) and the web console give it a transport.
 *
 * One file in UMD form so a browser can load it with a plain <script> (window.DeviceBridgeCore)
 * and CommonJS can require it; no bundler either way.
 */
(function (root, factory) {
  if (typeof module === 'object' && module && module.exports) module.exports = factory()
  else root.DeviceBridgeCore = factory()
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict'

  /** The API's events (docs/protocol.md, "subscribe" and "The household's own words"). */
  var API_EVENTS = ['state', 'online', 'device_added', 'device_removed', 'device_changed', 'timer_ran']

  /** Ops that state an absolute result, so sending one twice is harmless (CONTRACT.md, the SDK). */
  var RESENDABLE = ['set']

  /** An error with the API's (or the SDK's own) error code in `.code`. */
  function BridgeError (code, message) {
    var e = new Error(message || code)
    e.name = 'BridgeError'
    e.code = code
    Object.setPrototypeOf(e, BridgeError.prototype)
    return e
  }
  BridgeError.prototype = Object.create(Error.prototype, { constructor: { value: BridgeError } })

  /** Full-jitter exponential back-off: a random delay in [0, min(maxMs, minMs * 2^attempt)]. */
  function backoffDelay (attempt, minMs, maxMs, random) {
    var cap = Math.min(maxMs, minMs * Math.pow(2, Math.min(attempt, 30)))
    return Math.round((random || Math.random)() * cap)
  }

  function defaultTimers () {
    return {
      setTimeout: function (f, ms) { return setTimeout(f, ms) },
      clearTimeout: function (t) { clearTimeout(t) }
    }
  }

  function sameJson (a, b) {
    return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
  }

  function sortKeys (v) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v
    var out = {}
    Object.keys(v).sort().forEach(function (k) { out[k] = sortKeys(v[k]) })
    return out
  }

  /**
   * @param {object} [options] timeoutMs (per request, 10 s), heartbeatMs (idle time before a ping,
   *   20 s; 0 = none), heartbeatTimeoutMs (5 s), drainMs (how long a replaced transport may
   *   finish its requests, 3 s), timers ({setTimeout, clearTimeout}; tests pass fake ones).
   */
  class Core {
    constructor (options) {
      var o = options || {}
      this.timeoutMs = o.timeoutMs > 0 ? o.timeoutMs : 10000
      this.heartbeatMs = o.heartbeatMs >= 0 ? o.heartbeatMs : 20000
      this.heartbeatTimeoutMs = o.heartbeatTimeoutMs > 0 ? o.heartbeatTimeoutMs : 5000
      this.drainMs = o.drainMs >= 0 ? o.drainMs : 3000
      this.timers = o.timers || defaultTimers()
      this._current = null      // the transport requests go to, once subscribed
      this._links = []          // every hooked transport: current, being attached, draining
      this._pending = Object.create(null) // id -> record, sent and awaiting a reply
      this._queue = []          // records waiting for a transport
      this._listeners = Object.create(null) // names come from the network too: no prototype
      this._devices = Object.create(null) // id -> Device, as last known
      this._known = false       // the cache holds a devices list (resync compares with it)
      this._nextId = 1
      this._closed = false
      this._hbTimer = null
    }

    on (event, fn) {
      (this._listeners[event] || (this._listeners[event] = [])).push(fn)
      return this
    }

    off (event, fn) {
      var list = this._listeners[event]
      if (list) this._listeners[event] = list.filter(function (f) { return f !== fn })
      return this
    }

    /** Calls the handlers; one that throws is reported as a warning, never into the caller. */
    emit (event, value) {
      var list = (this._listeners[event] || []).slice()
      for (var i = 0; i < list.length; i++) {
        try {
          list[i](value)
        } catch (e) {
          if (event !== 'warning') this._warn('handler_error', 'a "' + event + '" handler threw: ' + (e && e.message))
        }
      }
    }

    _warn (code, message) {
      this.emit('warning', new BridgeError(code, message))
    }

    /** True while a subscribed transport carries requests. */
    get connected () { return this._current !== null }

    /** The cached devices (from `devices`, `get`, `set` replies and events), or one of them. */
    cached (id) {
      if (id !== undefined) return this._devices[id]
      var self = this
      return Object.keys(this._devices).map(function (k) { return self._devices[k] })
    }

    /**
     * Starts using an open transport: subscribes on it, then makes it the current one (a previous
     * transport drains: it may still answer what was sent on it), sends what waited, and resyncs
     * the device cache, emitting an event for each difference (after it resolved). Resolves once
     * the transport carries requests; rejects (and closes the transport) if the subscribe fails or the transport closes first.
     */
    attach (transport) {
      var self = this
      if (this._closed) {
        try { transport.close() } catch (e) { /* already gone */ }
        return Promise.reject(new BridgeError('disconnected', 'the client is closed'))
      }
      this._hook(transport)
      return this._call(transport, { op: 'subscribe' }, this.timeoutMs).then(function () {
        if (self._links.indexOf(transport) < 0) throw new BridgeError('disconnected', 'the connection closed while subscribing')
        var previous = self._current
        self._current = transport
        self._startBeat()
        if (previous) self._drain(previous)
        self._flush()
        // The resync runs on after attach resolves: the path is usable now, the events follow.
        if (!Object.keys(self._devices).length) return
        self._call(transport, { op: 'devices' }, self.timeoutMs).then(function (reply) {
          self._resync(reply.devices || [])
        }, function () { /* the app's next request will tell; the transport is in use already */ })
      }, function (error) {
        self._drop(transport, 'subscribe failed')
        throw error
      })
    }

    /** Closes the current transport on purpose (app hidden, leaving Wi-Fi): like a break. */
    detach (reason) {
      var links = this._links.slice()
      for (var i = 0; i < links.length; i++) this._drop(links[i], reason || 'detached')
    }

    /** Rejects every request still waiting for a transport (the path logic found none). */
    failQueued (code, message) {
      var queue = this._queue
      this._queue = []
      for (var i = 0; i < queue.length; i++) this._settle(queue[i], new BridgeError(code, message))
    }

    /** Closes a replaced transport now instead of letting it finish (its `set`s move on). */
    finishDrain () {
      if (this._draining) this._drop(this._draining, 'replaced')
    }

    /** For good: closes every transport and rejects everything outstanding with `disconnected`. */
    close () {
      this._closed = true
      this.detach('closed')
      this.failQueued('disconnected', 'the client is closed')
    }

    /** Any op: resolves with the reply object, rejects with a BridgeError (`.code`); options.timeoutMs for this one. */
    request (op, fields, options) {
      var frame = {}
      if (fields) Object.keys(fields).forEach(function (k) { frame[k] = fields[k] })
      frame.op = op
      return this._request(frame, options && options.timeoutMs > 0 ? options.timeoutMs : this.timeoutMs)
    }

    devices () {
      return this.request('devices').then(function (r) { return r.devices })
    }

    get (device) {
      return this.request('get', { device: device }).then(function (r) { return r.device })
    }

    /** Resolves with the state the device confirmed (its full state after the change). */
    set (device, state) {
      return this.request('set', { device: device, state: state }).then(function (r) { return r.state })
    }

    _request (frame, timeoutMs) {
      var self = this
      return new Promise(function (resolve, reject) {
        if (self._closed) return reject(new BridgeError('disconnected', 'the client is closed'))
        var r = self._record(frame, timeoutMs, resolve, reject)
        if (self._current) self._send(r, self._current)
        else self._queue.push(r)
      })
    }

    /** A request on one given transport (subscribe, resync, ping), never queued or re-sent. */
    _call (transport, frame, timeoutMs) {
      var self = this
      return new Promise(function (resolve, reject) {
        var r = self._record(frame, timeoutMs, resolve, reject)
        r.pinned = true
        self._send(r, transport)
      })
    }

    _record (frame, timeoutMs, resolve, reject) {
      var self = this
      var r = { id: String(this._nextId++), frame: frame, resolve: resolve, reject: reject, transport: null, sends: 0, done: false }
      r.timer = this.timers.setTimeout(function () {
        if (r.transport) self._settle(r, new BridgeError('timeout', 'no answer from the bridge within ' + timeoutMs + ' ms'))
        else self._settle(r, new BridgeError('disconnected', 'no connection to the bridge'))
      }, timeoutMs)
      return r
    }

    _send (r, transport) {
      r.transport = transport
      r.sends++
      r.frame.id = r.id
      this._pending[r.id] = r
      var text = JSON.stringify(r.frame)
      try {
        transport.send(text)
      } catch (e) {
        this._drop(transport, 'send failed')
      }
    }

    _settle (r, error, reply) {
      if (r.done) return
      r.done = true
      this.timers.clearTimeout(r.timer)
      if (this._pending[r.id] === r) delete this._pending[r.id]
      var i = this._queue.indexOf(r)
      if (i >= 0) this._queue.splice(i, 1)
      if (error) r.reject(error)
      else r.resolve(reply)
    }

    _flush () {
      var queue = this._queue
      this._queue = []
      for (var i = 0; i < queue.length && this._current; i++) this._send(queue[i], this._current)
      if (!this._current) this._queue = queue.slice(i).concat(this._queue)
    }

    _hook (transport) {
      var self = this
      this._links.push(transport)
      transport.onMessage = function (text) {
        if (self._links.indexOf(transport) >= 0) self._receive(transport, text)
      }
      transport.onClose = function (info) {
        self._broken(transport, (info && info.reason) || 'closed')
      }
    }

    /** We close it: unhook first, so its own close callback changes nothing. */
    _drop (transport, reason) {
      if (this._links.indexOf(transport) < 0) return
      this._broken(transport, reason)
      try { transport.close() } catch (e) { /* already gone */ }
    }

    /** A transport is gone: `set`s sent once on it wait for the next one; the rest fail. */
    _broken (transport, reason) {
      var at = this._links.indexOf(transport)
      if (at < 0) return
      this._links.splice(at, 1)
      transport.onMessage = null
      transport.onClose = null
      if (transport === this._draining) {
        if (this._drainTimer) this.timers.clearTimeout(this._drainTimer)
        this._drainTimer = null
        this._draining = null
        this._drainCheck = null
      }
      var wasCurrent = this._current === transport
      if (wasCurrent) {
        this._current = null
        this._stopBeat()
      }
      var self = this
      Object.keys(this._pending).forEach(function (id) {
        var r = self._pending[id]
        if (r.transport !== transport) return
        delete self._pending[id]
        if (!r.pinned && RESENDABLE.indexOf(r.frame.op) >= 0 && r.sends < 2 && !self._closed) {
          r.transport = null
          if (self._current) self._send(r, self._current)
          else self._queue.push(r)
        } else {
          self._settle(r, new BridgeError('disconnected', 'the connection to the bridge was lost (' + reason + ')'))
        }
      })
      if (wasCurrent) this.emit('detached', { reason: reason })
    }

    /** A replaced transport answers what was sent on it, then closes (or after drainMs). */
    _drain (transport) {
      var self = this
      this._draining = transport
      var check = function () {
        var busy = Object.keys(self._pending).some(function (id) { return self._pending[id].transport === transport })
        if (!busy) self._drop(transport, 'replaced')
        return !busy
      }
      if (check()) return
      this._drainCheck = check
      this._drainTimer = this.timers.setTimeout(function () {
        self._drainTimer = null
        self._drop(transport, 'replaced')
      }, this.drainMs)
    }

    _receive (transport, text) {
      var msg
      try {
        msg = JSON.parse(text)
      } catch (e) {
        return this._warn('bad_frame', 'a frame that is not JSON: ' + String(text).slice(0, 80))
      }
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return this._warn('bad_frame', 'a frame that is not a JSON object')
      if (transport === this._current) this._seen = true
      if (typeof msg.event === 'string' && msg.id === undefined) {
        if (transport === this._current) this._event(msg)
        return
      }
      // Progress of a long request ({"event":"provision","id":…,"step":…}) carries that request's
      // id but is not its reply: handlers see it, the request stays pending.
      if (typeof msg.event === 'string') {
        if (transport === this._current && msg.event !== 'warning') this.emit(msg.event, msg)
        return
      }
      var r = typeof msg.id === 'string' ? this._pending[msg.id] : undefined
      if (!r || r.transport !== transport) {
        return this._warn('unknown_reply', 'a reply for no request of ours (id ' + JSON.stringify(msg.id) + ')' +
          (msg.error && msg.error.message ? ': ' + msg.error.message : ''))
      }
      if (msg.ok === true) {
        if (!r.pinned) this._remember(r.frame, msg) // the resync compares before it replaces
        this._settle(r, null, msg)
      } else {
        var err = msg.error && typeof msg.error === 'object' ? msg.error : {}
        this._settle(r, new BridgeError(typeof err.code === 'string' ? err.code : 'internal',
          typeof err.message === 'string' ? err.message : 'the bridge refused the request'))
      }
      if (this._drainCheck && transport === this._draining && this._drainCheck()) this._drainCheck = null
    }

    /** Keeps the cache in step with what replies tell. */
    _remember (frame, reply) {
      if (frame.op === 'devices' && Array.isArray(reply.devices)) {
        var fresh = Object.create(null)
        reply.devices.forEach(function (d) { if (d && typeof d.id === 'string') fresh[d.id] = d })
        this._devices = fresh
        this._known = true
      } else if (frame.op === 'get' && reply.device && typeof reply.device.id === 'string') {
        this._devices[reply.device.id] = reply.device
      } else if (frame.op === 'set' && reply.state && this._devices[frame.device]) {
        this._devices[frame.device].state = reply.state
      }
    }

    _event (msg) {
      var d = typeof msg.device === 'string' ? this._devices[msg.device] : null
      if (msg.event === 'state' && d && msg.state) d.state = msg.state
      else if (msg.event === 'online' && d) d.online = msg.online
      else if ((msg.event === 'device_added' || msg.event === 'device_changed') && msg.device && typeof msg.device.id === 'string') this._devices[msg.device.id] = msg.device
      else if (msg.event === 'device_removed' && typeof msg.device === 'string') delete this._devices[msg.device]
      this.emit(msg.event, msg)
    }

    /**
     * After a gap: one event per difference between what we knew and what the bridge says now.
     * Devices added or removed are told only when we knew the whole list (a `devices` reply).
     */
    _resync (devices) {
      var before = this._devices
      var whole = this._known
      var after = Object.create(null)
      var events = []
      devices.forEach(function (d) {
        if (!d || typeof d.id !== 'string') return
        var old = before[d.id]
        if (whole || old) after[d.id] = d
        if (!old) return whole && events.push({ event: 'device_added', device: d })
        if (old.online !== d.online) events.push({ event: 'online', device: d.id, online: d.online })
        if (!sameJson(old.state, d.state)) events.push({ event: 'state', device: d.id, state: d.state })
        if (old.name !== d.name || old.room !== d.room) events.push({ event: 'device_changed', device: d })
      })
      var listed = Object.create(null)
      devices.forEach(function (d) { if (d && typeof d.id === 'string') listed[d.id] = true })
      Object.keys(before).forEach(function (id) {
        if (!listed[id]) events.push({ event: 'device_removed', device: id })
      })
      this._devices = after
      for (var i = 0; i < events.length; i++) this.emit(events[i].event, events[i])
    }

    /**
     * The heartbeat: a check every heartbeatMs; when no frame came since the last one, a ping, and
     * no answer within heartbeatTimeoutMs ends the transport. A flag per frame, not a timer reset
     * per frame: resetting timers on every reply cost more than the rest of a request's handling.
     */
    _startBeat () {
      if (!this.heartbeatMs) return
      var self = this
      this._stopBeat()
      this._seen = false
      var transport = this._current
      this._hbTimer = this.timers.setTimeout(function () {
        self._hbTimer = null
        if (transport !== self._current) return
        if (self._seen) return self._startBeat()
        self._call(transport, { op: 'ping' }, self.heartbeatTimeoutMs).then(function () {
          if (transport === self._current) self._startBeat()
        }, function (e) {
          if (e.code === 'timeout') self._drop(transport, 'no answer to the heartbeat')
        })
      }, this.heartbeatMs)
    }

    _stopBeat () {
      if (this._hbTimer !== null) this.timers.clearTimeout(this._hbTimer)
      this._hbTimer = null
    }

  }

  return { Core: Core, BridgeError: BridgeError, backoffDelay: backoffDelay, API_EVENTS: API_EVENTS }
})
