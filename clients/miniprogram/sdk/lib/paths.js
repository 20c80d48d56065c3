'use strict'
// The path logic (CONTRACT.md, "The mini-program SDK"): which way the client reaches its bridge.
// LAN first (the last address that worked, then mDNS, then the UDP beacon; only on Wi-Fi), the
// relay behind it; LAN → relay when the LAN connection is lost, relay → LAN once the bridge answers
// there again; sockets closed while the app is hidden; never more than two WebSockets at once.
// Requests, `set` re-sending and resync are the core's; this file only chooses and opens transports.
const { BridgeError, backoffDelay } = require('./core.js')
const finder = require('./finder.js')

/** WeChat allows five WebSockets to a whole mini-program (PROTOCOLS.md §8.4); we take two at most. */
const MAX_SOCKETS = 2
const FATAL = { unauthorized: true, forbidden: true, unknown_bridge: true, not_paired: true }

const DEFAULTS = {
  lanTimeoutMs: 2000, // opening a LAN socket (a stale address may not even refuse)
  relayTimeoutMs: 8000,
  mdnsMs: 1500,
  beaconMs: 1500,
  beaconPort: 8971, // Discovery:BeaconPort (docs/protocol.md)
  retryMinMs: 500,
  retryMaxMs: 30000,
  probeMinMs: 2000,
  probeMaxMs: 60000
}

/**
 * @param {object} deps core, adapter (wx-adapter.js), pairing() → {bridge, token, ws} | null,
 *   remember(wsUrl), relay (base URL or null), emit(event, value), timers, random, options.
 */
class PathKeeper {
  constructor (deps) {
    this.core = deps.core
    this.adapter = deps.adapter
    this.pairing = deps.pairing
    this.remember = deps.remember
    this.relay = deps.relay ? String(deps.relay).replace(/\/+$/, '') : null
    this.emit = deps.emit
    this.timers = deps.timers
    this.random = deps.random || Math.random
    this.o = Object.assign({}, DEFAULTS, deps.options || {})
    this.path = null
    this._wanted = false
    this._hidden = false
    this._network = null
    this._connecting = null
    this._probing = false
    this._retryTimer = null
    this._probeTimer = null
    this._attempt = 0
    this._probeAttempt = 0
    this._epoch = 0

    this.core.on('detached', () => this._lost())
    this.adapter.onNetworkChange(res => this._networkChanged(res))
    this.adapter.onHide(() => this._hide())
    this.adapter.onShow(() => this._show())
  }

  /** Resolves with the path once connected: 'lan' or 'relay'. */
  connect () {
    if (!this.pairing()) return Promise.reject(new BridgeError('not_paired', 'pair with the bridge first'))
    this._wanted = true
    if (this.path) return Promise.resolve(this.path)
    return this._establish(false)
  }

  /** Stops connecting (the pairing was forgotten); connect() starts again. */
  stop () {
    this._wanted = false
    this._epoch++
    this._clearTimers()
  }

  close () {
    this.stop()
    this.adapter.dispose()
  }

  _setPath (path) {
    if (this.path === path) return
    this.path = path
    this.emit('path', path)
  }

  _clearTimers () {
    if (this._retryTimer) this.timers.clearTimeout(this._retryTimer)
    if (this._probeTimer) this.timers.clearTimeout(this._probeTimer)
    this._retryTimer = this._probeTimer = null
  }

  /** One attempt at a connection, shared by everyone who asks meanwhile. */
  _establish (relayFirst) {
    if (this._connecting && this._connecting.epoch === this._epoch) return this._connecting
    const attempt = this._run(relayFirst, this._epoch)
    attempt.epoch = this._epoch
    this._connecting = attempt
    const clear = () => { if (this._connecting === attempt) this._connecting = null }
    attempt.then(clear, clear)
    return attempt
  }

  async _run (relayFirst, epoch) {
    const network = this._network = await this.adapter.networkType()
    let refused = null
    const lan = async () => {
      if (network !== 'wifi') return false
      try {
        return await this._tryLan(epoch)
      } catch (e) {
        refused = e
        return false
      }
    }
    const relay = async () => {
      if (!this.relay || network === 'none') return false
      try {
        await this._attach(await this._open(this._relayUrl(), this.o.relayTimeoutMs), 'relay', epoch)
        return true
      } catch (e) {
        if (!refused || FATAL[e.code]) refused = e
        return false
      }
    }
    if (relayFirst ? (await relay()) || (await lan()) : (await lan()) || (await relay())) return this.path
    if (refused) throw refused
    throw new BridgeError('unreachable', network === 'wifi'
      ? 'the bridge was not found on this Wi-Fi' + (this.relay ? '' : ' and no relay is configured')
      : this.relay ? 'no network' : 'not on Wi-Fi, and no relay is configured')
  }

  _relayUrl () {
    return this.relay + '/api/v1/bridges/' + encodeURIComponent(this.pairing().bridge) + '/ws'
  }

  /**
   * The LAN in the contract's order: last address, mDNS, beacon. Resolves true once one of them
   * carries the client; rejects with a refusal (a revoked token) when that is all the LAN gave.
   */
  async _tryLan (epoch) {
    const p = this.pairing()
    const tried = []
    let refused = null
    const attempt = async urls => {
      for (const url of urls) {
        if (tried.indexOf(url) >= 0 || epoch !== this._epoch) continue
        tried.push(url)
        try {
          await this._attach(await this._open(url, this.o.lanTimeoutMs), 'lan', epoch, url)
          return true
        } catch (e) {
          if (FATAL[e.code]) refused = e
        }
      }
      return false
    }
    const found = (p.ws && (await attempt([p.ws]))) ||
      (await attempt(await finder.byMdns(this.adapter, p.bridge, this.o.mdnsMs))) ||
      (await attempt(await finder.byBeacon(this.adapter, p.bridge, this.o.beaconPort, this.o.beaconMs, p.ws)))
    if (!found && refused) throw refused
    return found
  }

  /** Opens a socket once fewer than MAX_SOCKETS are open (a replaced one is let go first). */
  async _open (url, timeoutMs) {
    if (this.adapter.openCount >= MAX_SOCKETS) {
      this.core.finishDrain()
      await this.adapter.whenBelow(MAX_SOCKETS, 2500)
      if (this.adapter.openCount >= MAX_SOCKETS) throw new BridgeError('busy', 'two connections are open already')
    }
    return this.adapter.openSocket(url, this.pairing().token, timeoutMs)
  }

  async _attach (transport, path, epoch, url) {
    if (epoch !== this._epoch) {
      transport.close()
      throw new BridgeError('disconnected', 'given up')
    }
    await this.core.attach(transport)
    this._attempt = 0
    this._setPath(path)
    if (path === 'lan') {
      this._probeAttempt = 0
      this.remember(url)
    } else {
      this._scheduleProbe(false)
    }
  }

  /** The current connection is gone (broke, heartbeat, left Wi-Fi, hidden). */
  _lost () {
    const was = this.path
    // An attempt still "pending" here has already attached (its promise settles a tick later): a
    // new loss needs a new attempt.
    this._connecting = null
    this._setPath(null)
    if (!this._wanted || this._hidden) return
    this._reconnect(was === 'lan')
  }

  _reconnect (relayFirst) {
    if (this._retryTimer) this.timers.clearTimeout(this._retryTimer)
    this._retryTimer = null
    if (this._network === 'none') return // the network's return calls us again
    this._establish(relayFirst).catch(e => {
      if (!this._wanted || this._hidden || this.path) return
      if (FATAL[e.code]) {
        // Retrying cannot help (a revoked token); requests waiting learn why, connect() may try again.
        this.core.failQueued(e.code, e.message)
        this.emit('warning', e)
        return
      }
      const delay = backoffDelay(this._attempt++, this.o.retryMinMs, this.o.retryMaxMs, this.random)
      this._retryTimer = this.timers.setTimeout(() => {
        this._retryTimer = null
        if (!this.path) this._reconnect(false)
      }, delay)
    })
  }

  /** On the relay and on Wi-Fi: look for the bridge on the LAN now and then, as a second socket. */
  _scheduleProbe (now) {
    if (this._probeTimer) this.timers.clearTimeout(this._probeTimer)
    this._probeTimer = null
    if (this.path !== 'relay' || this._hidden || !this._wanted) return
    const delay = now ? 0 : Math.max(this.o.probeMinMs / 2, backoffDelay(this._probeAttempt++, this.o.probeMinMs, this.o.probeMaxMs, this.random))
    this._probeTimer = this.timers.setTimeout(() => {
      this._probeTimer = null
      this._probe()
    }, delay)
  }

  async _probe () {
    if (this.path !== 'relay' || this._probing) return
    if (this._network !== 'wifi' || this.adapter.openCount >= MAX_SOCKETS) return this._scheduleProbe(false)
    this._probing = true
    let moved = false
    try {
      moved = await this._tryLan(this._epoch)
    } catch (e) { /* refused on the LAN: the relay carries on */ }
    this._probing = false
    if (!moved) this._scheduleProbe(false)
  }

  _networkChanged (res) {
    this._network = res && res.isConnected === false ? 'none' : (res && res.networkType) || 'unknown'
    if (!this._wanted || this._hidden) return
    if (this._network === 'none') {
      if (this.path) this.core.detach('no network') // its return reconnects, below
      return
    }
    if (this._network !== 'wifi') {
      if (this.path === 'lan') this.core.detach('left the Wi-Fi') // → _lost → the relay at once
      else if (!this.path) this._reconnect(true)
      return
    }
    if (this.path === 'relay') {
      this._probeAttempt = 0
      this._scheduleProbe(true)
    } else if (!this.path) {
      this._attempt = 0
      this._reconnect(false)
    }
  }

  /** WeChat suspends a hidden mini-program after ~5 s and kills its sockets: close them first. */
  _hide () {
    this._hidden = true
    this._epoch++
    this._clearTimers()
    this.core.detach('app hidden')
    this._setPath(null)
  }

  _show () {
    if (!this._hidden) return
    this._hidden = false
    this._attempt = 0
    if (this._wanted) this._reconnect(false)
  }
}

module.exports = { PathKeeper, MAX_SOCKETS }
