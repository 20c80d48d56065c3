'use strict'
// Unit tests of the protocol core (clients/miniprogram/sdk/lib/core.js) with a hand-played
// transport and fake timers: what an app or the console sees when the bridge answers, fails,
// stays silent, or the connection breaks and another one takes over.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const FakeTimers = require('@sinonjs/fake-timers')
const { Core, BridgeError, backoffDelay } = require('../sdk/lib/core.js')
const { FakeTransport, settle } = require('./support/fake-transport.js')

const lamp = () => ({ id: 'lamp-1', name: 'Lamp', kind: 'light', protocol: 'tasmota', online: true, capabilities: {}, state: { power: 'off', brightness: 40 } })
const ac = () => ({ id: 'ac-1', name: 'AC', kind: 'air_conditioner', protocol: 'tasmota', online: true, capabilities: {}, state: { power: 'off' } })

function setup (options) {
  const clock = FakeTimers.createClock()
  const core = new Core(Object.assign({ timers: clock, heartbeatMs: 0 }, options))
  const warnings = []
  core.on('warning', w => warnings.push(w))
  return { clock, core, warnings }
}

async function attached (core, name) {
  const t = new FakeTransport(name)
  const done = core.attach(t)
  assert.equal(t.sent[0].op, 'subscribe', 'the first frame on a new transport subscribes')
  t.reply('subscribe')
  await settle()
  if (core.cached().length && t.sent.some(f => f.op === 'devices')) t.reply('devices', { devices: core.cached() })
  await done
  return t
}

test('replies are matched to their requests by id, in whatever order they come', async () => {
  const { core } = setup()
  const t = await attached(core)
  const devices = core.devices()
  const got = core.get('ac-1')
  const [d, g] = [t.last('devices'), t.last('get')]
  assert.notEqual(d.id, g.id)
  t.deliver({ id: g.id, ok: true, device: ac() })
  t.deliver({ id: d.id, ok: true, devices: [lamp(), ac()] })
  assert.deepEqual((await devices).map(x => x.id), ['lamp-1', 'ac-1'])
  assert.equal((await got).id, 'ac-1')
  assert.equal(core.cached('lamp-1').state.power, 'off')
})

test('set resolves with the state the device confirmed, and the cache follows it', async () => {
  const { core } = setup()
  const t = await attached(core)
  const list = core.devices(); t.reply('devices', { devices: [lamp()] }); await list
  const set = core.set('lamp-1', { power: 'on' })
  assert.deepEqual(t.last('set'), { id: t.last('set').id, op: 'set', device: 'lamp-1', state: { power: 'on' } })
  t.reply('set', { state: { power: 'on', brightness: 40 } })
  assert.deepEqual(await set, { power: 'on', brightness: 40 })
  assert.equal(core.cached('lamp-1').state.power, 'on')
})

test('a refusal rejects with a BridgeError carrying the API code and message', async () => {
  const { core } = setup()
  const t = await attached(core)
  const set = core.set('lamp-1', { brightness: 150 })
  t.fail('set', 'invalid_value', "'brightness' must be from 1 to 100 %, not 150")
  await assert.rejects(set, e => e instanceof BridgeError && e instanceof Error && e.code === 'invalid_value' && /150/.test(e.message))
})

test('no answer within timeoutMs rejects with code timeout; a late reply is only a warning', async () => {
  const { core, clock, warnings } = setup({ timeoutMs: 1000 })
  const t = await attached(core)
  const get = core.get('ac-1')
  const rejected = assert.rejects(get, e => e.code === 'timeout')
  await clock.tickAsync(999)
  assert.equal(warnings.length, 0)
  await clock.tickAsync(1)
  await rejected
  t.reply('get', { device: ac() })
  assert.equal(warnings.at(-1).code, 'unknown_reply')
})

test('requests made before a transport is attached wait and go out after the subscribe', async () => {
  const { core } = setup()
  const early = core.request('scenes')
  const t = new FakeTransport()
  const done = core.attach(t)
  assert.deepEqual(t.ops(), ['subscribe'])
  t.reply('subscribe')
  await done
  assert.deepEqual(t.ops(), ['subscribe', 'scenes'])
  t.reply('scenes', { scenes: [] })
  assert.deepEqual((await early).scenes, [])
})

test('a request still waiting for a transport when its time is up fails with disconnected', async () => {
  const { core, clock } = setup({ timeoutMs: 500 })
  const early = assert.rejects(core.devices(), e => e.code === 'disconnected')
  await clock.tickAsync(500)
  await early
})

test('a failed subscribe rejects attach with its code and closes that transport', async () => {
  const { core } = setup()
  const t = new FakeTransport()
  const done = core.attach(t)
  t.fail('subscribe', 'forbidden', 'scope')
  await assert.rejects(done, e => e.code === 'forbidden')
  assert.equal(t.closed, true)
  assert.equal(core.connected, false)
})

test('events reach their handlers and keep the cache current; off() stops them', async () => {
  const { core } = setup()
  const t = await attached(core)
  const list = core.devices(); t.reply('devices', { devices: [lamp()] }); await list
  const seen = []
  const onState = e => seen.push(e)
  core.on('state', onState)
  t.deliver({ event: 'state', device: 'lamp-1', state: { power: 'on', brightness: 80 } })
  t.deliver({ event: 'online', device: 'lamp-1', online: false })
  assert.deepEqual(seen, [{ event: 'state', device: 'lamp-1', state: { power: 'on', brightness: 80 } }])
  assert.equal(core.cached('lamp-1').online, false)
  core.off('state', onState)
  t.deliver({ event: 'state', device: 'lamp-1', state: { power: 'off', brightness: 80 } })
  assert.equal(seen.length, 1)
  t.deliver({ event: 'device_removed', device: 'lamp-1' })
  assert.equal(core.cached('lamp-1'), undefined)
})

test('a set caught in a break is sent again on the next transport and resolves; other requests fail with disconnected', async () => {
  const { core } = setup()
  const lan = await attached(core, 'lan')
  const set = core.set('lamp-1', { power: 'on' })
  const get = core.get('lamp-1')
  const detached = []
  core.on('detached', e => detached.push(e))
  lan.breaks('wifi lost')
  await assert.rejects(get, e => e.code === 'disconnected')
  assert.equal(detached.length, 1)
  const relay = await attached(core, 'relay')
  assert.deepEqual(relay.ops(), ['subscribe', 'set'])
  assert.deepEqual(relay.last('set').state, { power: 'on' })
  relay.reply('set', { state: { power: 'on', brightness: 40 } })
  assert.deepEqual(await set, { power: 'on', brightness: 40 })
})

test('a set is sent again only once: a second break fails it with disconnected', async () => {
  const { core } = setup()
  const first = await attached(core, 'first')
  const set = core.set('lamp-1', { power: 'on' })
  first.breaks()
  const second = await attached(core, 'second')
  assert.equal(second.last('set').device, 'lamp-1')
  second.breaks()
  await assert.rejects(set, e => e.code === 'disconnected')
})

test('after a gap the core asks for the devices again and emits one event per difference', async () => {
  const { core } = setup()
  const t1 = await attached(core)
  const list = core.devices(); t1.reply('devices', { devices: [lamp(), ac()] }); await list
  const events = []
  for (const name of ['state', 'online', 'device_added', 'device_removed', 'device_changed']) core.on(name, e => events.push(e))
  t1.breaks()

  const t2 = new FakeTransport()
  const done = core.attach(t2)
  t2.reply('subscribe')
  await settle()
  assert.deepEqual(t2.ops(), ['subscribe', 'devices'])
  const changed = lamp(); changed.state.power = 'on'
  const plug = { id: 'plug-1', name: 'Plug', kind: 'plug', protocol: 'shelly', online: false, capabilities: {}, state: {} }
  const renamed = ac(); renamed.room = '卧室'
  t2.reply('devices', { devices: [changed, renamed, plug].map(d => d.id === 'ac-1' ? Object.assign(d, { online: false }) : d) })
  await done
  assert.deepEqual(events, [
    { event: 'state', device: 'lamp-1', state: { power: 'on', brightness: 40 } },
    { event: 'online', device: 'ac-1', online: false },
    { event: 'device_changed', device: renamed },
    { event: 'device_added', device: plug }
  ])
})

test('a device that vanished during the gap is reported removed; an unchanged one is not reported', async () => {
  const { core } = setup()
  const t1 = await attached(core)
  const list = core.devices(); t1.reply('devices', { devices: [lamp(), ac()] }); await list
  const events = []
  for (const name of ['state', 'online', 'device_removed']) core.on(name, e => events.push(e))
  t1.breaks()
  const t2 = new FakeTransport()
  const done = core.attach(t2)
  t2.reply('subscribe'); await settle()
  const same = lamp(); same.state = { brightness: 40, power: 'off' } // key order differs, values do not
  t2.reply('devices', { devices: [same] })
  await done
  assert.deepEqual(events, [{ event: 'device_removed', device: 'ac-1' }])
})

test('the heartbeat pings an idle transport and ends it when the ping goes unanswered', async () => {
  const { core, clock } = setup({ heartbeatMs: 20000, heartbeatTimeoutMs: 5000 })
  const t = await attached(core)
  const detached = []
  core.on('detached', e => detached.push(e.reason))
  await clock.tickAsync(19999)
  assert.ok(!t.ops().includes('ping'))
  await clock.tickAsync(1)
  t.reply('ping')
  await clock.tickAsync(20000)
  assert.equal(t.ops().filter(o => o === 'ping').length, 2)
  await clock.tickAsync(5000)
  assert.equal(t.closed, true)
  assert.deepEqual(detached, ['no answer to the heartbeat'])
  assert.equal(core.connected, false)
})

test('traffic keeps the heartbeat quiet', async () => {
  const { core, clock } = setup({ heartbeatMs: 20000 })
  const t = await attached(core)
  for (let i = 0; i < 5; i++) {
    await clock.tickAsync(15000)
    t.deliver({ event: 'state', device: 'x', state: {} })
  }
  assert.ok(!t.ops().includes('ping'))
})

test('frames that are not JSON or not objects, and replies for unknown ids, are warnings; the core keeps working', async () => {
  const { core, warnings } = setup()
  const t = await attached(core)
  assert.doesNotThrow(() => {
    t.deliver('not json {')
    t.deliver('[1,2]')
    t.deliver('null')
    t.deliver({ id: '9999', ok: true })
    t.deliver({ id: null, ok: false, error: { code: 'bad_request', message: 'not JSON' } })
    t.deliver({ id: 7, ok: true })
  })
  assert.deepEqual(warnings.map(w => w.code), ['bad_frame', 'bad_frame', 'bad_frame', 'unknown_reply', 'unknown_reply', 'unknown_reply'])
  assert.match(warnings[4].message, /not JSON/)
  const ping = core.request('ping')
  t.reply('ping')
  assert.equal((await ping).ok, true)
})

test('a reply without a proper error object still rejects with a code', async () => {
  const { core } = setup()
  const t = await attached(core)
  const r = core.request('ping')
  t.deliver({ id: t.last('ping').id, ok: false })
  await assert.rejects(r, e => e.code === 'internal')
})

test('a handler that throws is reported as a warning and the other handlers still run', async () => {
  const { core, warnings } = setup()
  const t = await attached(core)
  const seen = []
  core.on('state', () => { throw new Error('app bug') })
  core.on('state', e => seen.push(e.device))
  t.deliver({ event: 'state', device: 'lamp-1', state: {} })
  assert.deepEqual(seen, ['lamp-1'])
  assert.equal(warnings[0].code, 'handler_error')
  assert.match(warnings[0].message, /app bug/)
})

test('a second transport takes over without a gap: the first answers what it carries, then closes', async () => {
  const { core } = setup()
  const relay = await attached(core, 'relay')
  const slow = core.set('ac-1', { power: 'on' })
  const lan = await attached(core, 'lan')
  assert.equal(relay.closed, false, 'the replaced transport stays open for its reply')
  const next = core.request('ping')
  assert.equal(lan.last('ping').op, 'ping')
  relay.reply('set', { state: { power: 'on' } })
  assert.deepEqual(await slow, { power: 'on' })
  assert.equal(relay.closed, true)
  lan.reply('ping')
  await next
})

test('a replaced transport that stays silent is closed after drainMs and its set goes out on the new one', async () => {
  const { core, clock } = setup({ drainMs: 3000 })
  const relay = await attached(core, 'relay')
  const set = core.set('ac-1', { power: 'on' })
  const lan = await attached(core, 'lan')
  await clock.tickAsync(3000)
  assert.equal(relay.closed, true)
  lan.reply('set', { state: { power: 'on' } })
  assert.deepEqual(await set, { power: 'on' })
})

test('close() fails everything outstanding with disconnected and refuses new requests', async () => {
  const { core } = setup()
  const t = await attached(core)
  const sent = core.set('lamp-1', { power: 'on' })
  core.close()
  await assert.rejects(sent, e => e.code === 'disconnected')
  await assert.rejects(core.devices(), e => e.code === 'disconnected')
  assert.equal(t.closed, true)
  await assert.rejects(core.attach(new FakeTransport()), e => e.code === 'disconnected')
})

test('backoffDelay is full jitter under a cap that doubles up to the maximum', () => {
  assert.equal(backoffDelay(0, 1000, 30000, () => 1), 1000)
  assert.equal(backoffDelay(3, 1000, 30000, () => 1), 8000)
  assert.equal(backoffDelay(10, 1000, 30000, () => 1), 30000)
  assert.equal(backoffDelay(100, 1000, 30000, () => 0.5), 15000)
  assert.equal(backoffDelay(2, 1000, 30000, () => 0), 0)
})

test('in a browser without module the same file defines globalThis.DeviceBridgeCore', () => {
  const source = fs.readFileSync(path.join(__dirname, '../sdk/lib/core.js'), 'utf8')
  const context = vm.createContext({ setTimeout, clearTimeout })
  vm.runInContext(source, context)
  const exported = vm.runInContext('typeof DeviceBridgeCore.Core + typeof DeviceBridgeCore.BridgeError', context)
  assert.equal(exported, 'functionfunction')
})

test('a resync from devices seen one by one (get) reports their changes, not the devices never asked for', async () => {
  const { core } = setup()
  const t1 = await attached(core)
  const got = core.get('lamp-1'); t1.reply('get', { device: lamp() }); await got
  const events = []
  for (const name of ['state', 'device_added', 'device_removed']) core.on(name, e => events.push(e))
  t1.breaks()
  const t2 = new FakeTransport()
  const done = core.attach(t2)
  t2.reply('subscribe'); await settle()
  const changed = lamp(); changed.state.brightness = 90
  t2.reply('devices', { devices: [changed, ac()] })
  await done
  assert.deepEqual(events, [{ event: 'state', device: 'lamp-1', state: { power: 'off', brightness: 90 } }])
  assert.equal(core.cached('ac-1'), undefined)
})

test('a request can have its own time limit (provisioning takes longer than a set)', async () => {
  const { core, clock } = setup({ timeoutMs: 1000 })
  const t = await attached(core)
  const long = core.request('provision', { method: 'softap', target: '192.168.4.1' }, { timeoutMs: 90000 })
  const short = assert.rejects(core.request('ping'), e => e.code === 'timeout')
  await clock.tickAsync(1000)
  await short
  await clock.tickAsync(80000)
  t.reply('provision', { device: null, redirect: null })
  assert.equal((await long).ok, true)
})

test('progress events that carry a request\'s id reach handlers and leave the request pending', async () => {
  const { core, warnings } = setup()
  const t = await attached(core)
  const steps = []
  core.on('provision', e => steps.push(e.step))
  let settled = false
  const done = core.request('provision', { method: 'improv', target: '/dev/ttyUSB0' }).then(r => { settled = true; return r })
  const id = t.last('provision').id
  t.deliver({ event: 'provision', id, step: 'connecting' })
  t.deliver({ event: 'provision', id, step: 'sending' })
  await settle()
  assert.equal(settled, false, 'a progress event is not the reply')
  assert.deepEqual(steps, ['connecting', 'sending'])
  t.deliver({ id, ok: true, device: null, redirect: null })
  assert.equal((await done).ok, true)
  assert.deepEqual(warnings, [])
})
