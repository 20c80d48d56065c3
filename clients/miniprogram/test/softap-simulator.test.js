'use strict'
// The SDK's provisionSoftAp (fake wx, wx.request over loopback HTTP) against the C# simulator's
// ESP-IDF device (Bridge.Simulator softap): two implementations of ESP-IDF unified provisioning
// written apart, so the SDK's security 1 and 2 are checked against a peer other than the JS test
// device in support/softap-devices.js. Needs the Release build that ./test.sh makes first.
const test = require('node:test')
const assert = require('node:assert/strict')
const { createClient } = require('../sdk/index.js')
const { FakeWx } = require('./support/fake-wx.js')
const { startSimulatedSoftAp } = require('./support/processes.js')

const HOME = { ssid: 'Home', password: 'p&ss w0rd/é' }
const POP = 'abcd1234'
const devices = []
test.afterEach(async () => { while (devices.length) await devices.pop().close() })
const start = async options => { const d = await startSimulatedSoftAp({ kind: 'espidf', ssid: HOME.ssid, password: HOME.password, ...options }); devices.push(d); return d }
const installer = () => createClient({ wx: new FakeWx(), provisionTimeoutMs: 10000 })

for (const [security, patch] of [[0, undefined], [1, undefined], [2, 0], [2, 1]]) {
  test(`the simulator's ESP-IDF device, security ${security}${patch !== undefined ? ' sec_patch_ver ' + patch : ''}: the SDK's settings reach it and it joins`, async () => {
    const device = await start({ security, patch, pop: security ? POP : undefined })
    const result = await installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password, pop: security ? POP : undefined })
    assert.equal(result.kind, 'esp-idf')
    const joined = await device.joined(10000)
    assert.equal(joined[1], HOME.ssid)
    assert.ok(!device.output.includes(HOME.password) && !device.output.includes(POP), 'no secret printed by the simulator')
  })
}

test('the simulator\'s ESP-IDF device, security 2: a wrong proof of possession is refused and told plainly', async () => {
  const device = await start({ security: 2, patch: 1, pop: POP })
  await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: HOME.password, pop: 'abcd1235' }),
    e => e.code === 'provision_failed' && /proof of possession/.test(e.message))
  assert.ok(!/SoftAP: joined/.test(device.output), 'it did not join')
})

test('the simulator\'s ESP-IDF device: a wrong Wi-Fi password ends in provision_failed in an installer\'s words', async () => {
  const device = await start({ security: 2, patch: 1, pop: POP })
  await assert.rejects(installer().provisionSoftAp({ address: device.address, ssid: HOME.ssid, password: 'nope', pop: POP }),
    e => e.code === 'provision_failed' && /password is wrong/.test(e.message))
})
