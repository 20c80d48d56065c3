'use strict'
// End to end with the relay behind the LAN: the real bridge linked to the real relay (both their
// own processes), the SDK on a fake wx whose relay domain (wss://relay.test, as configured for a
// mini-program) leads to the relay on loopback. Away from home, leaving and coming home, Wi-Fi lost
// in the middle of a set, hide/show with resync, the socket limit, a refused token.
const test = require('node:test')
const assert = require('node:assert/strict')
const { startBridge, startRelay } = require('./support/processes.js')
const { phone, nextEvent, pathWithin, bareClient } = require('./support/e2e.js')

let relay, bridge
const phones = []
const domains = () => ({ 'relay.test': relay.url })
const use = (options) => {
  const p = phone(bridge, Object.assign({ domains: domains(), client: { relay: 'wss://relay.test' } }, options))
  phones.push(p)
  return p
}
const paired = extra => Object.assign({ bridge: bridge.id, token: bridge.token }, extra)

test.before(async () => {
  relay = await startRelay()
  bridge = await startBridge(['--Relay:Url=' + relay.url, '--Relay:ReconnectMin=00:00:00.05', '--Relay:ReconnectMax=00:00:00.5'])
  await bridge.process.waitFor(/^Relay: connected$/, 30000, true)
})
test.after(async () => {
  if (bridge) await bridge.stop()
  if (relay) await relay.stop()
})
test.afterEach(() => { while (phones.length) phones.pop().dispose() })

test('away from home (4G) the client goes through the relay, with the same calls', async () => {
  const { client, wx } = use({ paired: paired({ ws: bridge.api }), wx: { network: '4g' } })
  assert.equal(await client.connect(), 'relay')
  assert.equal(wx.mdnsScans + wx.udpSends.length, 0, 'no LAN attempt off Wi-Fi')
  assert.deepEqual(wx.socketLog, ['wss://relay.test/api/v1/bridges/' + bridge.id + '/ws'])
  assert.ok((await client.devices()).some(d => d.id === 'ac-1'))
  const state = await client.set('ac-1', { power: 'on', mode: 'cool', target_temperature: 24 })
  assert.equal(state.target_temperature, 24)
  assert.equal(state.mode, 'cool')
})

test('leaving the Wi-Fi moves to the relay within 2 s, coming home moves back within 5 s', async () => {
  const { client, wx, paths } = use({ paired: paired({ ws: bridge.api }) })
  assert.equal(await client.connect(), 'lan')
  await client.devices()
  wx.setNetwork('4g')
  const toRelay = await pathWithin(client, 'relay', 2000)
  assert.ok(toRelay <= 2000, 'to the relay in ' + toRelay + ' ms')
  assert.equal((await client.set('lamp-1', { power: 'on' })).power, 'on')
  wx.setNetwork('wifi')
  const toLan = await pathWithin(client, 'lan', 5000)
  assert.ok(toLan <= 5000, 'back on the LAN in ' + toLan + ' ms')
  assert.equal((await client.set('lamp-1', { power: 'off' })).power, 'off')
  assert.deepEqual(paths, ['lan', null, 'relay', 'lan'])
  assert.ok(wx.maxSockets <= 2, 'at most two sockets, saw ' + wx.maxSockets)
})

test('Wi-Fi lost in the middle of a set: it is sent again through the relay and resolves with the confirmed state; a get fails with disconnected', async () => {
  const { client, wx } = use({ paired: paired({ ws: bridge.api }) })
  assert.equal(await client.connect(), 'lan')
  const lamp = await client.get('lamp-1')
  const target = lamp.state.brightness === 33 ? 44 : 33
  let cut = 0
  wx.afterSend = (task, data) => {
    if (task._lan && /"op":"set"/.test(data) && !cut++) wx.setNetwork('4g')
  }
  const get = client.get('ac-1')
  const set = client.set('lamp-1', { power: 'on', brightness: target })
  await assert.rejects(get, e => e.code === 'disconnected')
  const state = await set
  assert.equal(cut, 1)
  assert.equal(client.path, 'relay')
  assert.equal(state.brightness, target)
  assert.equal(state.power, 'on')
})

test('hidden: the sockets are closed; shown again: it reconnects and reports what changed meanwhile', async () => {
  const { client, wx, paths } = use({ paired: paired({ ws: bridge.api }) })
  await client.connect()
  const before = await client.get('water-heater-1')
  const target = before.state.target_temperature === 50 ? 55 : 50
  wx.hide()
  assert.equal(client.path, null)
  await wx.whenSockets(0, 3000)
  const other = await bareClient(bridge.api, bridge.token)
  try {
    assert.equal((await other.request('set', { device: 'water-heater-1', state: { target_temperature: target } })).ok, true)
  } finally {
    other.close()
  }
  const changed = nextEvent(client, 'state', e => e.device === 'water-heater-1', 10000)
  wx.show()
  const e = await changed
  assert.equal(e.state.target_temperature, target)
  assert.equal(client.path, 'lan')
  assert.deepEqual(paths, ['lan', null, 'lan'])
})

test('shown again too early for WeChat (runningState=suspend): it tries again and gets there', async () => {
  const { client, wx } = use({ paired: paired({ ws: bridge.api }), wx: { refuseAfterShowMs: 700 } })
  await client.connect()
  wx.hide()
  wx.show()
  const took = await pathWithin(client, 'lan', 10000)
  assert.ok(took >= 600, 'it waited for WeChat: ' + took + ' ms')
  assert.ok(wx.socketLog.length >= 3, 'it tried more than once: ' + wx.socketLog.length)
  assert.equal((await client.set('lamp-1', { power: 'on' })).power, 'on')
})

test('hidden past WeChat\'s suspension: nothing was left open to be killed, and it comes back on show', async () => {
  const { client, wx } = use({ paired: paired({ ws: bridge.api }), wx: { suspendMs: 300 } })
  await client.connect()
  wx.hide()
  await wx.whenSockets(0, 3000)
  await wx.whenSuspended(3000)
  wx.show()
  await pathWithin(client, 'lan', 10000)
  assert.ok((await client.devices()).length > 0)
})

test('the socket limit: through network flaps and hide/show, never more than two sockets', async () => {
  const { client, wx } = use({ paired: paired({ ws: bridge.api }) })
  await client.connect()
  for (let i = 0; i < 4; i++) {
    wx.setNetwork('4g')
    await pathWithin(client, 'relay', 5000)
    wx.setNetwork('wifi')
    await pathWithin(client, 'lan', 8000)
    wx.hide()
    wx.show()
    await pathWithin(client, 'lan', 8000)
  }
  assert.equal((await client.set('lamp-1', { power: 'on' })).power, 'on')
  assert.ok(wx.maxSockets <= 2, 'at most two sockets open at once, saw ' + wx.maxSockets)
  await wx.whenSockets(1, 5000)
})

test('a relay that refuses the token: connect() rejects with unauthorized, and the client can still be used after re-pairing', async () => {
  const forged = bridge.token.replace(/\.[^.]+$/, '.' + 'A'.repeat(86))
  const { client, wx } = use({ paired: paired({ token: forged }), wx: { network: '4g' } })
  await assert.rejects(client.connect(), e => e.code === 'unauthorized' && /401/.test(e.message))
  assert.equal(client.path, null)
  wx.setStorageSync('devicebridge', paired())
  assert.equal(await client.connect(), 'relay')
})

test('a token of another bridge is refused by the relay with forbidden', async () => {
  // The relay knows only bridges it has seen; ours, and a token whose issuer is someone else.
  const parts = bridge.token.split('.')
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url'))
  claims.iss = 'aaaaaaaaaaaaaaaa'
  const foreign = [parts[0], Buffer.from(JSON.stringify(claims)).toString('base64url'), parts[2]].join('.')
  const { client } = use({ paired: paired({ token: foreign }), wx: { network: '4g' } })
  await assert.rejects(client.connect(), e => ['forbidden', 'unauthorized'].includes(e.code))
})
