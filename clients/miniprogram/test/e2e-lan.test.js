'use strict'
// End to end on the home's LAN: the real bridge (`--demo`, its own process) and the SDK on a fake
// wx over real loopback sockets. Pairing, finding the bridge by mDNS (Android) and by the UDP beacon
// (iOS), the cached address, confirmed sets, error codes, events from another phone, and what
// others on the LAN may say: another bridge's mDNS record, garbage beacon answers.
const test = require('node:test')
const assert = require('node:assert/strict')
const dgram = require('node:dgram')
const multicastDns = require('multicast-dns')
const { WebSocketServer } = require('ws')
const { startBridge } = require('./support/processes.js')
const { phone, nextEvent, bareClient } = require('./support/e2e.js')

let bridge
const phones = []
const use = p => { phones.push(p); return p }

test.before(async () => { bridge = await startBridge() })
test.after(async () => { if (bridge) await bridge.stop() })
test.afterEach(() => { while (phones.length) phones.pop().dispose() })

const paired = () => ({ bridge: bridge.id, token: bridge.token })

test('a wrong pairing code is refused with forbidden; the code the bridge prints pairs the phone (Android, mDNS)', async () => {
  const { client, wx } = use(phone(bridge))
  const code = bridge.pairingCode()
  const wrong = code === '000000' ? '111111' : '000000'
  await assert.rejects(client.pair({ code: wrong, name: 'test phone' }), e => e.code === 'forbidden' && e.message.length > 0)
  assert.equal(client.bridge, null)
  await assert.rejects(client.pair({ code: '12ab', name: 'test phone' }), e => e.code === 'bad_request')

  assert.deepEqual(await client.pair({ code, name: 'test phone' }), { bridge: bridge.id })
  const stored = wx.getStorageSync('devicebridge')
  assert.equal(stored.bridge, bridge.id)
  assert.match(stored.token, /^[\w-]+\.[\w-]+\.[\w-]+$/)
  assert.equal(stored.ws, bridge.api)
  assert.ok(!bridge.output.includes(stored.token), 'the token is not in the bridge output')
  assert.equal(await client.connect(), 'lan')
  const devices = await client.devices()
  assert.ok(devices.some(d => d.id === 'lamp-1'))

  client.forget()
  assert.equal(client.bridge, null)
  assert.equal(client.path, null)
  assert.equal(wx.getStorageSync('devicebridge'), '')
  await assert.rejects(client.connect(), e => e.code === 'not_paired')
  assert.deepEqual(await client.pair({ code: bridge.pairingCode(), name: 'test phone' }), { bridge: bridge.id })
  assert.equal(await client.connect(), 'lan')
})

test('Android: found by mDNS, then sets are answered with the confirmed state', async () => {
  const { client, wx, paths } = use(phone(bridge, { paired: paired() }))
  assert.equal(client.path, null)
  assert.equal(await client.connect(), 'lan')
  assert.equal(client.path, 'lan')
  assert.deepEqual(paths, ['lan'])
  assert.equal(wx.mdnsScans, 1)
  assert.equal(wx.getStorageSync('devicebridge').ws, bridge.api, 'the address that worked is kept')
  const lamp = await client.get('lamp-1')
  const target = lamp.state.brightness === 55 ? 65 : 55
  const state = await client.set('lamp-1', { power: 'on', brightness: target })
  assert.equal(state.power, 'on')
  assert.equal(state.brightness, target)
  assert.ok('color_temp' in state, 'the full state of the device comes back')
  assert.equal(client.cached('lamp-1').state.brightness, target)
})

test('iOS: no mDNS in WeChat, so the bridge is found by the UDP beacon', async () => {
  const { client, wx } = use(phone(bridge, { paired: paired(), wx: { platform: 'ios' } }))
  assert.equal(await client.connect(), 'lan')
  assert.equal(wx.mdnsScans, 0)
  const sentTo = wx.udpSends.map(s => s.address + ':' + s.port)
  assert.ok(sentTo.includes('127.255.255.255:' + bridge.beaconPort), 'to the subnet broadcast address: ' + sentTo)
  assert.ok(sentTo.includes('255.255.255.255:' + bridge.beaconPort), 'and to 255.255.255.255: ' + sentTo)
  assert.equal(wx.getStorageSync('devicebridge').ws, bridge.api)
  assert.ok((await client.devices()).length >= 5)
})

test('a second launch goes straight to the last address: no mDNS, no beacon', async () => {
  const { client, wx } = use(phone(bridge, { paired: Object.assign(paired(), { ws: bridge.api }) }))
  assert.equal(await client.connect(), 'lan')
  assert.equal(wx.mdnsScans, 0)
  assert.equal(wx.udpSends.length, 0)
  assert.deepEqual(wx.socketLog, [bridge.api])
})

test('iOS refusing broadcasts (errno 65) and the bridge on a new port: the beacon asked at the last address finds it', async () => {
  const moved = 'ws://127.0.0.1:' + (bridge.port === 65000 ? 65001 : 65000) + '/api/v1/ws' // nothing listens there
  const { client, wx } = use(phone(bridge, { paired: Object.assign(paired(), { ws: moved }), wx: { platform: 'ios', broadcastRefused: true } }))
  assert.equal(await client.connect(), 'lan')
  assert.ok(wx.udpSends.some(s => s.address === '127.0.0.1'), 'asked by unicast: ' + JSON.stringify(wx.udpSends))
  assert.equal(wx.getStorageSync('devicebridge').ws, bridge.api, 'the new address is kept')
})

test('a stale last address is passed over for the one mDNS finds', async () => {
  const gone = 'ws://127.0.0.1:9/api/v1/ws' // a refused port: WeChat itself refuses ports below 1024
  const { client, wx } = use(phone(bridge, { paired: Object.assign(paired(), { ws: gone }) }))
  assert.equal(await client.connect(), 'lan')
  assert.equal(wx.getStorageSync('devicebridge').ws, bridge.api)
})

test('failures carry their API codes and the client keeps working', async () => {
  const { client } = use(phone(bridge, { paired: Object.assign(paired(), { ws: bridge.api }) }))
  await client.connect()
  await assert.rejects(client.set('no-such-lamp', { power: 'on' }), e => e.code === 'unknown_device')
  await assert.rejects(client.set('lamp-1', { brightness: 150 }), e => e.code === 'invalid_value' && /150/.test(e.message))
  await assert.rejects(client.set('ac-1', { current_temperature: 20 }), e => e.code === 'unsupported_capability')
  await assert.rejects(client.request('no_such_op'), e => e.code === 'unknown_op')
  assert.equal((await client.request('ping')).ok, true)
})

test('a change made by another phone arrives as a state event', async () => {
  const { client } = use(phone(bridge, { paired: Object.assign(paired(), { ws: bridge.api }) }))
  await client.connect()
  const before = await client.get('ac-1')
  const target = before.state.target_temperature === 24 ? 25.5 : 24
  const other = await bareClient(bridge.api, bridge.token)
  try {
    const event = nextEvent(client, 'state', e => e.device === 'ac-1' && e.state.target_temperature === target, 10000)
    const reply = await other.request('set', { device: 'ac-1', state: { power: 'on', target_temperature: target } })
    assert.equal(reply.ok, true, JSON.stringify(reply))
    const e = await event
    assert.equal(e.event, 'state')
    assert.equal(client.cached('ac-1').state.target_temperature, target)
  } finally {
    other.close()
  }
})

test('the household\'s words: a room set by another phone arrives as device_changed; a scene saved and run through the SDK', async () => {
  const { client } = use(phone(bridge, { paired: Object.assign(paired(), { ws: bridge.api }) }))
  await client.connect()
  await client.devices()
  const changed = nextEvent(client, 'device_changed', e => e.device.id === 'water-heater-1', 10000)
  const other = await bareClient(bridge.api, bridge.token)
  try {
    assert.equal((await other.request('update', { device: 'water-heater-1', room: '浴室' })).ok, true)
  } finally {
    other.close()
  }
  assert.equal((await changed).device.room, '浴室')
  assert.equal(client.cached('water-heater-1').room, '浴室')
  await client.request('scene_save', { scene: { id: 'sdk-test', name: '测试', actions: [{ device: 'lamp-1', state: { power: 'off' } }, { device: 'ac-1', state: { power: 'off' } }] } })
  assert.ok((await client.request('scenes')).scenes.some(x => x.id === 'sdk-test'))
  const run = await client.request('scene_run', { scene: 'sdk-test' })
  assert.deepEqual(run.results.map(r => [r.device, r.ok]).sort(), [['ac-1', true], ['lamp-1', true]])
  await assert.rejects(client.request('scene_run', { scene: 'no-such-scene' }), e => typeof e.code === 'string' && e.code !== 'internal')
})

test('an mDNS record of another bridge is not followed', async () => {
  const decoyHits = []
  const decoy = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  decoy.on('connection', () => decoyHits.push('ws'))
  await new Promise(resolve => decoy.once('listening', resolve))
  const responder = multicastDns({ interface: '127.0.0.1', bind: '0.0.0.0', port: 5353, reuseAddr: true, loopback: true })
  const instance = 'DeviceBridge-someoneelse1234._devicebridge._tcp.local'
  responder.on('query', q => {
    if (!q.questions.some(x => /_devicebridge\._tcp\.local$/i.test(x.name) || x.name === instance || x.name === 'decoy.local')) return
    responder.respond({
      answers: [{ name: '_devicebridge._tcp.local', type: 'PTR', ttl: 120, data: instance }],
      additionals: [
        { name: instance, type: 'SRV', ttl: 120, data: { target: 'decoy.local', port: decoy.address().port } },
        { name: 'decoy.local', type: 'A', ttl: 120, data: '127.0.0.1' }]
    })
  })
  try {
    const { client } = use(phone(bridge, { paired: paired() }))
    assert.equal(await client.connect(), 'lan')
    assert.equal(client.path, 'lan')
    assert.deepEqual(decoyHits, [])
    assert.ok((await client.devices()).some(d => d.id === 'lamp-1'))
  } finally {
    responder.destroy()
    decoy.close()
  }
})

test('garbage answers to the beacon are passed over for the one good answer, and nothing is thrown (iOS)', async () => {
  // A beacon of lies on a port of its own; its last answer is the real bridge's, so the client
  // must read past everything before it.
  const liar = dgram.createSocket({ type: 'udp4', reuseAddr: true })
  await new Promise(resolve => liar.bind(0, '0.0.0.0', resolve))
  const junk = [
    Buffer.from('not json at all'),
    Buffer.from('[1,2,3]'),
    Buffer.from(JSON.stringify({ op: 'bridge' })),
    Buffer.from(JSON.stringify({ op: 'bridge', id: 'someoneelse1234', ws: 'ws://127.0.0.1:1/api/v1/ws' })),
    Buffer.from(JSON.stringify({ op: 'bridge', id: bridge.id, ws: 'ws://evil.example:8970/api/v1/ws' })),
    Buffer.from(JSON.stringify({ op: 'bridge', id: bridge.id, ws: 12 })),
    Buffer.from(JSON.stringify({ op: 'hello', id: bridge.id, ws: 'ws://127.0.0.1:2/api/v1/ws' })),
    Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
    Buffer.alloc(5000, 0x7b),
    Buffer.from(JSON.stringify({ op: 'bridge', v: 1, id: bridge.id, ws: bridge.api, port: bridge.port, path: '/api/v1/ws' }))]
  let asked = 0
  liar.on('message', (msg, rinfo) => {
    if (!/discover/.test(msg.toString())) return
    asked++
    for (const j of junk) liar.send(j, rinfo.port, rinfo.address)
  })
  try {
    const { client, wx } = use(phone(bridge, { paired: paired(), wx: { platform: 'ios' }, client: { beaconPort: liar.address().port } }))
    assert.equal(await client.connect(), 'lan')
    assert.ok(asked > 0)
    assert.deepEqual(wx.socketLog, [bridge.api], 'no socket to any address the garbage named')
    assert.equal((await client.request('ping')).ok, true)
  } finally {
    liar.close()
  }
})

test('a beacon that only lies gets no connection: unreachable, clearly', async () => {
  const liar = dgram.createSocket({ type: 'udp4', reuseAddr: true })
  await new Promise(resolve => liar.bind(0, '0.0.0.0', resolve))
  liar.on('message', (msg, rinfo) => {
    liar.send(Buffer.from(JSON.stringify({ op: 'bridge', id: 'someoneelse1234', ws: bridge.api })), rinfo.port, rinfo.address)
    liar.send(Buffer.from('{"op":"bridge","id":'), rinfo.port, rinfo.address)
  })
  try {
    const { client, wx } = use(phone(bridge, { paired: paired(), wx: { platform: 'ios' }, client: { beaconPort: liar.address().port } }))
    await assert.rejects(client.connect(), e => e.code === 'unreachable' && /not found/.test(e.message))
    assert.deepEqual(wx.socketLog, [])
  } finally {
    liar.close()
  }
})

test('pairing needs the Wi-Fi; a phone on 4G without a relay is told the bridge is unreachable', async () => {
  const { client } = use(phone(bridge, { wx: { network: '4g' } }))
  await assert.rejects(client.pair({ code: '123456' }), e => e.code === 'unreachable')
  const cached = use(phone(bridge, { paired: paired(), wx: { network: '4g' } }))
  await assert.rejects(cached.client.connect(), e => e.code === 'unreachable')
  await assert.rejects(use(phone(bridge)).client.connect(), e => e.code === 'not_paired')
})

test('a manually typed address pairs too (the last resort when nothing is found)', async () => {
  const { client } = use(phone(bridge, { wx: { platform: 'ios' } }))
  const code = bridge.pairingCode()
  const fresh = bridge.process.waitFor(/^Pairing code: (\d{6})$/, 10000)
  assert.deepEqual(await client.pair({ code, name: 'typed', address: '127.0.0.1:' + bridge.port }), { bridge: bridge.id })
  assert.notEqual((await fresh)[1], code, 'a used code is replaced by a fresh one for the next phone')
})
