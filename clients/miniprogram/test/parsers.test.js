'use strict'
// Property tests (fast-check) of what the SDK reads from the network: beacon replies, UTF-8,
// protobuf from provisioning devices, frames into the core. Whatever arrives, no exception escapes
// and good input is read exactly as a reference implementation reads it.
const test = require('node:test')
const assert = require('node:assert/strict')
const fc = require('fast-check')
const protobuf = require('protobufjs')
const { decodeUtf8, encodeUtf8 } = require('../sdk/lib/utf8.js')
const pb = require('../sdk/lib/protobuf.js')
const { parseBeaconReply } = require('../sdk/lib/wx-adapter.js')
const { Core } = require('../sdk/lib/core.js')
const { FakeTransport } = require('./support/fake-transport.js')

const bytes = fc.uint8Array({ maxLength: 300 })
const buffer = u8 => u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.length)

test('UTF-8: any string round-trips, and matches TextEncoder/TextDecoder', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), s => {
    const wellFormed = s.toWellFormed()
    const encoded = encodeUtf8(wellFormed)
    assert.deepEqual(Buffer.from(encoded), Buffer.from(new TextEncoder().encode(wellFormed)))
    assert.equal(decodeUtf8(buffer(encoded)), wellFormed)
  }), { numRuns: 500 })
})

test('UTF-8: any bytes decode without throwing; valid text decodes as TextDecoder does', () => {
  fc.assert(fc.property(bytes, u8 => {
    const mine = decodeUtf8(buffer(u8))
    const reference = new TextDecoder().decode(u8)
    if (!reference.includes('\ufffd')) assert.equal(mine, reference)
    else assert.ok(mine.includes('\ufffd'))
  }), { numRuns: 1000 })
})

test('beacon replies: any datagram is either a usable reply or null, never an exception', () => {
  const reply = fc.record({
    op: fc.constantFrom('bridge', 'discover', 'x'),
    id: fc.oneof(fc.string(), fc.integer()),
    ws: fc.oneof(fc.constant('ws://192.168.1.20:8970/api/v1/ws'), fc.string(), fc.webUrl())
  }, { requiredKeys: [] })
  fc.assert(fc.property(fc.oneof(bytes.map(buffer), reply.map(r => buffer(encodeUtf8(JSON.stringify(r))))), datagram => {
    const r = parseBeaconReply(datagram)
    if (r !== null) {
      assert.equal(r.op, 'bridge')
      assert.equal(typeof r.id, 'string')
      assert.match(r.ws, /^ws:\/\/\d{1,3}(\.\d{1,3}){3}:\d+\//)
    }
  }), { numRuns: 1000 })
})

test('protobuf: what the SDK writes, protobufjs reads; what protobufjs writes, the SDK reads', () => {
  const Type = protobuf.parse('syntax = "proto3"; message M { uint32 a = 1; bytes b = 2; string c = 3; N n = 12; } message N { uint32 x = 1; bytes y = 2; }').root.lookupType('M')
  fc.assert(fc.property(fc.nat(), fc.uint8Array({ maxLength: 200 }), fc.string(), fc.nat(), fc.uint8Array({ maxLength: 40 }), (a, b, c, x, y) => {
    const mine = pb.encode([[1, a], [2, b], [3, c], [12, [[1, x], [2, y]]]])
    const read = Type.toObject(Type.decode(mine), { defaults: true })
    assert.equal(read.a, a)
    assert.deepEqual(Buffer.from(read.b), Buffer.from(b))
    assert.equal(read.c, c)
    assert.equal(read.n.x, x)
    const theirs = Type.encode(Type.create({ a, b, c, n: { x, y } })).finish()
    const back = pb.decode(theirs)
    assert.equal(pb.first(back, 1), a)
    assert.deepEqual(Buffer.from(pb.first(back, 2, new Uint8Array(0))), Buffer.from(b))
    assert.equal(decodeUtf8(pb.first(back, 3, new Uint8Array(0))), c)
    assert.equal(pb.first(pb.decode(pb.first(back, 12)), 1), x)
  }), { numRuns: 500 })
})

test('protobuf: garbage from a device throws an Error (reported as provision_failed), never anything else, never hangs', () => {
  fc.assert(fc.property(bytes, u8 => {
    try {
      pb.decode(u8)
    } catch (e) {
      assert.ok(e instanceof Error)
      assert.match(e.message, /protobuf/)
    }
  }), { numRuns: 2000 })
})

test('the core: any frame from the network leaves it working and throws nothing', async () => {
  const frame = fc.oneof(
    fc.string(),
    fc.json(),
    fc.record({ id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), ok: fc.boolean(), error: fc.anything() }, { requiredKeys: [] }),
    fc.record({ event: fc.string(), device: fc.anything(), state: fc.anything(), online: fc.anything() }, { requiredKeys: [] }))
  const core = new Core({ heartbeatMs: 0 })
  core.on('warning', () => {})
  const t = new FakeTransport()
  const attached = core.attach(t)
  t.reply('subscribe')
  await attached
  fc.assert(fc.property(fc.array(frame, { maxLength: 20 }), frames => {
    for (const f of frames) t.deliver(typeof f === 'string' ? f : JSON.stringify(f))
  }), { numRuns: 300 })
  const ping = core.request('ping')
  t.reply('ping')
  assert.equal((await ping).ok, true)
})
