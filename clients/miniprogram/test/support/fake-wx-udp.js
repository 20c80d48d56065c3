'use strict'
// The fake wx's UDPSocket (wx.createUDPSocket, on Node's dgram) and its mDNS browsing
// (wx.startLocalServiceDiscovery, on npm multicast-dns), as WeChat documents them (PROTOCOLS.md §8).
const dgram = require('node:dgram')
const multicastDns = require('multicast-dns')

function later (fn) { setImmediate(fn) }

/** UDPSocket: bind() returns the port; send({address, port, message, setBroadcast}); onMessage gets
 * { message: ArrayBuffer, remoteInfo, localInfo }; messages of 4096 bytes or more are not delivered. */
function createUdpSocket (wx) {
  const handlers = { message: [], error: [], close: [], listening: [] }
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true })
  let bound = null
  let closed = false
  const emit = (kind, v) => { for (const fn of [...handlers[kind]]) fn(v) }
  socket.on('error', e => emit('error', { errMsg: 'UDPSocket:fail ' + e.message, errCode: -2 }))
  socket.on('message', (msg, rinfo) => {
    if (msg.length >= 4096) return
    const message = msg.buffer.slice(msg.byteOffset, msg.byteOffset + msg.length)
    emit('message', { message, remoteInfo: { address: rinfo.address, family: 'IPv4', port: rinfo.port, size: rinfo.size }, localInfo: { address: wx.localip, family: 'IPv4', port: socket.address().port } })
  })
  return {
    bind (port) {
      bound = new Promise(resolve => socket.bind(port || 0, () => { emit('listening', {}); resolve() }))
      return port || 0 // WeChat returns the port at once; dgram binds asynchronously
    },
    send (opt) {
      const fail = (errMsg, errCode) => later(() => emit('error', { errMsg: 'UDPSocket.send:' + errMsg, errCode }))
      if (closed) return fail('fail socket closed', -2)
      if (wx.network !== 'wifi') return fail('fail network is not wifi', -2)
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(opt.address || '')) return fail('fail invalid address', 1)
      if (!(opt.port > 0 && opt.port < 65536)) return fail('fail invalid port', 2)
      wx.udpSends.push({ address: opt.address, port: opt.port })
      if (wx.broadcastRefused && /^255\.|\.255$/.test(opt.address)) return fail('fail errno 65 No route to host', -2)
      const data = typeof opt.message === 'string' ? Buffer.from(opt.message) : Buffer.from(opt.message)
      if (!bound) bound = new Promise(resolve => socket.bind(0, resolve))
      bound.then(() => {
        if (closed) return
        if (opt.setBroadcast) socket.setBroadcast(true)
        socket.send(data, opt.port, opt.address, err => { if (err) fail('fail ' + err.message, -2) })
      })
    },
    close () {
      if (closed) return
      closed = true
      Promise.resolve(bound).then(() => { try { socket.close() } catch (e) { /* closed */ } emit('close', {}) })
    },
    onMessage (fn) { handlers.message.push(fn) },
    offMessage (fn) { handlers.message = handlers.message.filter(f => f !== fn) },
    onError (fn) { handlers.error.push(fn) },
    offError (fn) { handlers.error = handlers.error.filter(f => f !== fn) },
    onClose (fn) { handlers.close.push(fn) },
    onListening (fn) { handlers.listening.push(fn) }
  }
}

/**
 * What Android WeChat does with NSD: browse `_name._tcp.` (PTR), resolve each instance (SRV and
 * A), report {serviceType, serviceName, ip, port} once per instance; stops by itself after 30 s.
 */
class MdnsBrowser {
  constructor (serviceType, port, onFound, onStop) {
    this.type = serviceType.replace(/\.$/, '') + '.local'
    this.onFound = onFound
    this.onStop = onStop
    this.reported = new Set()
    this.instances = new Map() // instance FQDN -> { target, port }
    this.hosts = new Map() // host -> ipv4
    this.mdns = multicastDns({ port, interface: '127.0.0.1', bind: '0.0.0.0', reuseAddr: true, loopback: true })
    this.mdns.on('warning', () => {})
    this.mdns.on('error', () => {})
    this.mdns.on('response', res => this._take(res.answers.concat(res.additionals || [])))
    const ask = () => this.mdns.query([{ name: this.type, type: 'PTR' }])
    ask()
    this.timer = setInterval(ask, 1000)
    this.stopTimer = setTimeout(() => this.stop(), 30000)
  }

  _take (records) {
    for (const r of records) {
      if (r.type === 'PTR' && r.name.toLowerCase() === this.type.toLowerCase() && !this.instances.has(r.data)) {
        this.instances.set(r.data, null)
        this.mdns.query([{ name: r.data, type: 'SRV' }])
      } else if (r.type === 'SRV' && r.ttl > 0) {
        this.instances.set(r.name, { target: r.data.target, port: r.data.port })
      } else if (r.type === 'A' && r.ttl > 0) {
        this.hosts.set(r.name.toLowerCase(), r.data)
      }
    }
    for (const [name, srv] of this.instances) {
      if (!this.mdns) return
      if (!srv || this.reported.has(name)) continue
      const ip = this.hosts.get(srv.target.toLowerCase())
      if (!ip) { this.mdns.query([{ name: srv.target, type: 'A' }]); continue }
      this.reported.add(name)
      const serviceName = name.slice(0, name.length - this.type.length - 1).replace(/\\(.)/g, '$1')
      this.onFound({ serviceType: this.type.replace(/local$/, ''), serviceName, ip, port: srv.port })
    }
  }

  stop () {
    if (!this.mdns) return
    clearInterval(this.timer)
    clearTimeout(this.stopTimer)
    this.mdns.destroy()
    this.mdns = null
    this.onStop()
  }
}

module.exports = { createUdpSocket, MdnsBrowser }
