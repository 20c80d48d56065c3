'use strict'
// client.provisionSoftAp on an installer's phone (fake wx, wx.request over loopback HTTP) against
// devices in setup mode: ESP-IDF provisioning security 0, 1 and 2, a Shelly Gen2+, a Tasmota; and what an
// installer is told when it does not work.
const test = require('node:test')
const assert = require('node:assert/strict')
const { createClient } = require('../sdk/index.js')
const { FakeWx } = require('./support/fake-wx.js')
const { espDevice, shellyDevice, tasmotaDevice, plainWebServer, HOME } = require('./support/softap-devices.js')

const devices = []
const use = d => { devices.push(d); return d }
test.afterEach(async () => { while (devices.length) await devices.pop().close() })

const installer = () => createClient({ wx: new FakeWx(), provisionTimeoutMs: 3000 })

test('ESP-IDF provisioning, security 0: credentials set and applied; resolves once the device says it joined', async () => {
  const device = use(await espDevice())
  const result = await installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password })
  assert.deepEqual(result, { kind: 'esp-idf', redirect: 'http://192.168.1.57/' })
  assert.deepEqual(device.received, { ssid: HOME.ssid, password: HOME.password })
  assert.deepEqual(device.requests.map(r => r.path), ['/proto-ver', '/prov-session', '/prov-config', '/prov-config', '/prov-config', '/prov-config'])
  assert.ok(device.requests.slice(1).every(r => r.contentType === 'application/x-www-form-urlencoded'))
  assert.ok(device.statusPolls >= 2, 'it waited while the device was still connecting')
})

test('ESP-IDF: a wrong password and an unknown network are told in an installer\'s words', async () => {
  const device = use(await espDevice())
  await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: 'nope' }),
    e => e.code === 'provision_failed' && /password is wrong/.test(e.message) && /reset/.test(e.message))
  const other = use(await espDevice())
  await assert.rejects(installer().provisionSoftAp({ address: other.address, ssid: 'Neighbour', password: HOME.password }),
    e => e.code === 'provision_failed' && /"Neighbour" was not found/.test(e.message))
})

for (const [secVer, pop, patch] of [[1, 'abcd1234', 0], [1, '', 0], [2, 'abcd1234', 1], [2, 'abcd1234', 0]]) {
  test(`ESP-IDF security ${secVer}${pop ? ' with a PoP' : ' without a PoP'}${secVer === 2 ? ', sec_patch_ver ' + patch : ''}: the settings reach the device encrypted and it joins`, async () => {
    const device = use(await espDevice({ secVer, pop, patch }))
    const result = await installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password, pop: pop || undefined })
    assert.deepEqual(result, { kind: 'esp-idf', redirect: 'http://192.168.1.57/' })
    assert.deepEqual(device.received, { ssid: HOME.ssid, password: HOME.password })
    assert.deepEqual(device.requests.map(r => r.path), ['/proto-ver', '/prov-session', '/prov-session', '/prov-config', '/prov-config', '/prov-config', '/prov-config'])
  })
}

for (const secVer of [1, 2]) {
  test(`ESP-IDF security ${secVer}: a wrong proof of possession is told plainly, and no settings were sent`, async () => {
    const device = use(await espDevice({ secVer, pop: 'abcd1234' }))
    await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password, pop: 'abcd1235' }),
      e => e.code === 'provision_failed' && /proof of possession/.test(e.message) && /untouched/.test(e.message))
    assert.ok(device.refused, 'the device refused the handshake')
    assert.equal(device.received, null)
    assert.ok(!device.requests.some(r => r.path === '/prov-config'))
  })
  test(`ESP-IDF security ${secVer}: a device that needs a PoP and none given is told before anything is sent`, async () => {
    const device = use(await espDevice({ secVer, pop: 'abcd1234' }))
    await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password }),
      e => e.code === 'provision_failed' && /proof of possession/.test(e.message))
    assert.deepEqual(device.requests.map(r => r.path), ['/proto-ver'])
  })
}

test('ESP-IDF security other than 0, 1 and 2 is refused clearly and the device is left untouched', async () => {
  const device = use(await espDevice({ secVer: 3 }))
  await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password, pop: 'abcd1234' }),
    e => e.code === 'provision_failed' && /security 3/.test(e.message) && /untouched/.test(e.message))
  assert.deepEqual(device.requests.map(r => r.path), ['/proto-ver'])
})

test('a Shelly Gen2+ gets WiFi.SetConfig with the station settings', async () => {
  const device = use(await shellyDevice())
  assert.deepEqual(await installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password }), { kind: 'shelly', redirect: null })
  assert.deepEqual(device.calls.map(c => [c.method, c.params.config.sta]), [['WiFi.SetConfig', { ssid: HOME.ssid, pass: HOME.password, enable: true }]])
})

test('a Shelly that refuses says why, and that it kept its settings', async () => {
  const device = use(await shellyDevice())
  await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: '', password: 'x' }), e => e.code === 'bad_request')
  const client = installer()
  const shelly = use(await shellyDevice())
  const original = shelly.server.listeners('request')[0]
  shelly.server.removeAllListeners('request')
  shelly.server.on('request', (req, res) => {
    if (req.url !== '/rpc') return original(req, res)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ id: 1, error: { code: -109, message: 'Wi-Fi is locked' } }))
  })
  await assert.rejects(client.provisionSoftAp({ address: shelly.address, ssid: HOME.ssid, password: HOME.password }),
    e => e.code === 'provision_failed' && /Wi-Fi is locked/.test(e.message) && /old settings/.test(e.message))
})

test('Tasmota\'s Wi-Fi form gets the settings, odd characters intact', async () => {
  const device = use(await tasmotaDevice())
  assert.deepEqual(await installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password }), { kind: 'tasmota', redirect: null })
  assert.deepEqual(device.saved, { ssid: HOME.ssid, password: HOME.password })
})

test('nothing there, something else there, or a malformed address: clear errors', async () => {
  const router = use(await plainWebServer())
  await assert.rejects(installer().provisionSoftAp({ address: router.address, ssid: HOME.ssid, password: 'x' }),
    e => e.code === 'provision_failed' && /not one this app can set up/.test(e.message))
  const gone = router.address
  await router.close()
  devices.pop()
  await assert.rejects(installer().provisionSoftAp({ address: gone, ssid: HOME.ssid, password: 'x' }),
    e => e.code === 'provision_failed' && /no answer/.test(e.message) && /setup mode/.test(e.message))
  await assert.rejects(installer().provisionSoftAp({ address: 'esp.local', ssid: HOME.ssid }), e => e.code === 'bad_request')
})
