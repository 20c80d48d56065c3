'use strict'
// The `wx` adapter: everything the SDK needs from WeChat, as promises and transports, and nothing
// else (PROTOCOLS.md §8 has WeChat's facts). The path logic (paths.js) uses only this object, so
// its unit tests hand it a scripted stand-in, and the end-to-end tests a fake `wx` on real sockets.
const { BridgeError } = require('./core.js')
const { decodeUtf8 } = require('./utf8.js')

/** HTTP statuses of a refused WebSocket upgrade, as the API and the relay give them (docs/relay.md). */
const REFUSALS = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'unknown_bridge', 429: 'busy', 503: 'bridge_offline' }

function errText (res) {
  return (res && (res.errMsg || res.message)) || 'unknown error'
}

/** WeChat reports a refused upgrade only in errMsg; where it names the HTTP status, keep its meaning. */
function socketError (url, res) {
  const text = errText(res)
  const status = /\b(4\d\d|5\d\d)\b/.exec(text)
  const code = status && REFUSALS[status[1]]
  if (code) return new BridgeError(code, 'the bridge refused the connection (HTTP ' + status[1] + ')')
  return new BridgeError('unreachable', 'cannot connect to ' + url.replace(/\?.*$/, '') + ': ' + text)
}

function createWxAdapter (wx, options) {
  const o = options || {}
  const timers = o.timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: t => clearTimeout(t) }
  const handlers = []
  let open = 0
  let waiters = []
  const released = () => {
    const ready = waiters.filter(w => open < w.below)
    waiters = waiters.filter(w => open >= w.below)
    ready.forEach(w => { timers.clearTimeout(w.timer); w.resolve() })
  }

  function listen (on, off, fn) {
    if (typeof wx[on] !== 'function') return
    wx[on](fn)
    handlers.push(() => { if (typeof wx[off] === 'function') wx[off](fn) })
  }

  const adapter = {
    /** WebSocket connections this adapter has open or opening (the path logic keeps it ≤ 2). */
    get openCount () { return open },

    /** Resolves once fewer than `below` sockets are open, or after timeoutMs. */
    whenBelow (below, timeoutMs) {
      if (open < below) return Promise.resolve()
      return new Promise(resolve => {
        const w = { below, resolve }
        w.timer = timers.setTimeout(() => { waiters = waiters.filter(x => x !== w); resolve() }, timeoutMs)
        waiters.push(w)
      })
    },

    platform () {
      try { return (wx.getSystemInfoSync().platform || '').toLowerCase() } catch (e) { return '' }
    },

    networkType () {
      return new Promise(resolve => {
        wx.getNetworkType({ success: r => resolve(r.networkType), fail: () => resolve('unknown') })
      })
    },

    onNetworkChange (fn) { listen('onNetworkStatusChange', 'offNetworkStatusChange', fn) },
    onHide (fn) { listen('onAppHide', 'offAppHide', fn) },
    onShow (fn) { listen('onAppShow', 'offAppShow', fn) },

    /** Opens a WebSocket with the token in a header; resolves with a Transport once it is open. */
    openSocket (url, token, timeoutMs) {
      return new Promise((resolve, reject) => {
        let settled = false
        let counted = true
        let closeTimer = null
        open++
        const release = () => {
          if (counted) { counted = false; open--; released() }
          if (closeTimer) timers.clearTimeout(closeTimer)
        }
        const transport = {
          onMessage: null,
          onClose: null,
          send (text) { task.send({ data: text }) },
          close () {
            task.close({ code: 1000, reason: 'client closing' })
            // WeChat fires onClose when the socket is really gone; count it until then (or 2 s).
            closeTimer = timers.setTimeout(release, 2000)
          }
        }
        let task
        try {
          task = wx.connectSocket({ url, header: { Authorization: 'Bearer ' + token }, timeout: timeoutMs, tcpNoDelay: true, fail: res => fail(res) })
        } catch (e) {
          return fail(e)
        }
        const timer = timers.setTimeout(() => fail({ errMsg: 'no answer within ' + timeoutMs + ' ms' }, true), timeoutMs)
        function fail (res, close) {
          if (settled) return
          settled = true
          timers.clearTimeout(timer)
          if (close && task) try { task.close({}) } catch (e) { /* not open */ }
          release()
          reject(socketError(url, res))
        }
        task.onOpen(() => {
          if (settled) return
          settled = true
          timers.clearTimeout(timer)
          resolve(transport)
        })
        task.onMessage(res => {
          if (typeof res.data === 'string' && transport.onMessage) transport.onMessage(res.data)
          else if (typeof res.data !== 'string' && transport.onMessage) transport.onMessage('') // binary: not ours; the core warns
        })
        task.onError(res => { if (!settled) fail(res) })
        task.onClose(res => {
          release()
          if (!settled) return fail(res)
          if (transport.onClose) transport.onClose({ code: res && res.code, reason: (res && res.reason) || 'closed' })
        })
      })
    },

    /** n random bytes from wx.getRandomValues (WeChat has no WebCrypto): keys for provisioning security 1 and 2. */
    randomBytes (length) {
      return new Promise((resolve, reject) => {
        if (typeof wx.getRandomValues !== 'function') return reject(new BridgeError('provision_failed', 'this WeChat has no wx.getRandomValues, which setting up a device securely needs'))
        wx.getRandomValues({
          length,
          success: res => resolve(new Uint8Array(res.randomValues)),
          fail: res => reject(new BridgeError('internal', 'no random bytes: ' + errText(res)))
        })
      })
    },

    /** An HTTP request through wx.request; resolves with { status, data, header } for any status. */
    http (req) {
      return new Promise((resolve, reject) => {
        wx.request({
          url: req.url,
          method: req.method || 'GET',
          data: req.data,
          header: req.header,
          timeout: req.timeoutMs,
          dataType: req.dataType || 'json',
          responseType: req.responseType || 'text',
          success: res => resolve({ status: res.statusCode, data: res.data, header: res.header || {} }),
          fail: res => reject(new BridgeError('unreachable', 'no answer from ' + req.url + ': ' + errText(res)))
        })
      })
    },

    /**
     * Browses `_devicebridge._tcp.` until `accept(service)` is true for a found service or
     * timeoutMs pass; resolves with that service ({serviceName, ip, port}) or null. iOS WeChat
     * has no mDNS: starting fails there and this resolves null at once.
     */
    findByMdns (accept, timeoutMs) {
      return new Promise(resolve => {
        let done = false
        const finish = found => {
          if (done) return
          done = true
          timers.clearTimeout(timer)
          if (typeof wx.offLocalServiceFound === 'function') wx.offLocalServiceFound(onFound)
          if (typeof wx.offLocalServiceDiscoveryStop === 'function') wx.offLocalServiceDiscoveryStop(onStop)
          if (typeof wx.stopLocalServiceDiscovery === 'function') wx.stopLocalServiceDiscovery({ fail: () => {} })
          resolve(found)
        }
        const onFound = res => { if (res && accept(res)) finish(res) }
        const onStop = () => finish(null)
        const timer = timers.setTimeout(() => finish(null), timeoutMs)
        if (typeof wx.startLocalServiceDiscovery !== 'function') return finish(null)
        wx.onLocalServiceFound(onFound)
        if (typeof wx.onLocalServiceDiscoveryStop === 'function') wx.onLocalServiceDiscoveryStop(onStop)
        wx.startLocalServiceDiscovery({ serviceType: '_devicebridge._tcp.', fail: () => finish(null) })
      })
    },

    /**
     * Asks the UDP beacon (docs/protocol.md, "Finding the bridge") every intervalMs, to the
     * subnet's broadcast address, to 255.255.255.255 and to `unicast` (the last known address:
     * iOS may refuse broadcasts, PROTOCOLS.md §8.4), until `accept(reply)` is true for a reply
     * or timeoutMs pass; resolves with that reply or null. Garbage is ignored.
     */
    findByBeacon (accept, port, timeoutMs, intervalMs, unicast) {
      return new Promise(resolve => {
        let done = false
        let udp
        let ticker = null
        const request = JSON.stringify({ op: 'discover', id: 'devicebridge-miniprogram' })
        const finish = found => {
          if (done) return
          done = true
          timers.clearTimeout(timer)
          if (ticker) timers.clearTimeout(ticker)
          try { udp.close() } catch (e) { /* gone */ }
          resolve(found)
        }
        const timer = timers.setTimeout(() => finish(null), timeoutMs)
        try {
          udp = wx.createUDPSocket()
          udp.bind()
        } catch (e) {
          return finish(null)
        }
        udp.onError(() => { /* iOS refuses broadcast at times (PROTOCOLS.md §8.4); keep asking */ })
        udp.onMessage(res => {
          const reply = parseBeaconReply(res && res.message)
          if (reply && accept(reply)) finish(reply)
        })
        broadcastAddress(wx).then(subnet => {
          const targets = [subnet, '255.255.255.255', unicast].filter((a, i, all) => a && all.indexOf(a) === i)
          const ask = () => {
            if (done) return
            for (const address of targets) {
              try { udp.send({ address, port, message: request, setBroadcast: true }) } catch (e) { /* next round */ }
            }
            ticker = timers.setTimeout(ask, intervalMs)
          }
          ask()
        })
      })
    },

    load (key) {
      try {
        const v = wx.getStorageSync(key)
        return v === '' || v === undefined ? null : v
      } catch (e) { return null }
    },
    save (key, value) { wx.setStorageSync(key, value) },
    remove (key) { try { wx.removeStorageSync(key) } catch (e) { /* absent */ } },

    /** Stops following WeChat's events (client.close()). */
    dispose () {
      while (handlers.length) handlers.pop()()
    }
  }
  return adapter
}

/** A beacon reply we can use, or null: op "bridge", a string id, a ws:// URL to an IPv4 address. */
function parseBeaconReply (message) {
  if (!message || typeof message === 'string' || message.byteLength > 4096) return null
  let reply
  try {
    reply = JSON.parse(decodeUtf8(message))
  } catch (e) {
    return null
  }
  if (!reply || reply.op !== 'bridge' || typeof reply.id !== 'string' || typeof reply.ws !== 'string') return null
  if (!/^ws:\/\/\d{1,3}(\.\d{1,3}){3}:\d{1,5}\/[\w/.-]*$/.test(reply.ws)) return null
  return reply
}

/** The subnet's broadcast address from wx.getLocalIPAddress (netmask since base library 2.24). */
function broadcastAddress (wx) {
  return new Promise(resolve => {
    if (typeof wx.getLocalIPAddress !== 'function') return resolve(null)
    wx.getLocalIPAddress({
      success: r => {
        const ip = toInt(r.localip)
        const mask = toInt(r.netmask || '255.255.255.0')
        if (ip === null || mask === null) return resolve(null)
        const b = (ip | (~mask >>> 0)) >>> 0
        resolve([b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255].join('.'))
      },
      fail: () => resolve(null)
    })
  })
}

function toInt (dotted) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(dotted || '')
  if (!m) return null
  return ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0
}

module.exports = { createWxAdapter, parseBeaconReply, socketError }
