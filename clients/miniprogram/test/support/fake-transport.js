'use strict'
// A transport for the core's unit tests: records what the core sends and lets a test play the
// bridge's side by hand (replies, events, a break).

class FakeTransport {
  constructor (name) {
    this.name = name || 'transport'
    this.sent = []
    this.closed = false
    this.onMessage = null
    this.onClose = null
  }

  send (text) {
    if (this.closed) throw new Error('send on a closed transport')
    this.sent.push(JSON.parse(text))
  }

  close () { this.closed = true }

  /** The last frame sent with this op. */
  last (op) {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i].op === op) return this.sent[i]
    throw new Error(`${this.name}: no ${op} was sent; sent: ${JSON.stringify(this.sent)}`)
  }

  ops () { return this.sent.map(f => f.op) }

  deliver (msg) { this.onMessage(typeof msg === 'string' ? msg : JSON.stringify(msg)) }

  reply (op, fields) { this.deliver(Object.assign({ id: this.last(op).id, ok: true }, fields)) }

  fail (op, code, message) { this.deliver({ id: this.last(op).id, ok: false, error: { code, message } }) }

  /** The connection ends by itself (Wi-Fi gone, bridge restarted). */
  breaks (reason) {
    this.closed = true
    const hook = this.onClose
    if (hook) hook({ code: 1006, reason: reason || 'abnormal' })
  }
}

/** Lets pending promise callbacks run. */
function settle () { return new Promise(resolve => setImmediate(resolve)) }

module.exports = { FakeTransport, settle }
