'use strict'
// The sample mini-program's pages (Component()) under miniprogram-simulate: what a person sees
// for a device, and which `set` a tap sends, through the SDK's real protocol core.
const test = require('node:test')
const assert = require('node:assert/strict')
const { FakeBridge, appClient, installWx, useClient, render, settle, tap } = require('./support/app-env.js')
const { createClient } = require('../sdk/index.js')
const { FakeWx } = require('./support/fake-wx.js')
const { espDevice, HOME } = require('./support/softap-devices.js')

const DEVICES = [
  { id: 'lamp-1', name: '客厅台灯', room: '客厅', kind: 'light', protocol: 'tasmota', online: true,
    capabilities: { power: { type: 'enum', values: ['off', 'on'] }, brightness: { type: 'int', min: 1, max: 100, unit: '%' }, color_temp: { type: 'int', min: 2000, max: 6500, unit: 'K' } },
    state: { power: 'on', brightness: 40, color_temp: 2703 } },
  { id: 'ac-1', name: '卧室空调', room: '卧室', kind: 'air_conditioner', protocol: 'tasmota', online: true,
    capabilities: { power: { type: 'enum', values: ['off', 'on'] }, mode: { type: 'enum', values: ['auto', 'cool', 'heat', 'dry', 'fan'] }, fan_speed: { type: 'enum', values: ['auto', 'low', 'medium', 'high'] }, target_temperature: { type: 'number', min: 16, max: 30, step: 0.5, unit: '°C' }, current_temperature: { type: 'number', read_only: true } },
    state: { power: 'on', mode: 'heat', fan_speed: 'auto', target_temperature: 24, current_temperature: 27.5 } },
  { id: 'water-heater-1', name: 'Bathroom water heater', room: null, kind: 'water_heater', protocol: 'tasmota', online: true,
    capabilities: { power: { type: 'enum', values: ['off', 'on'] }, target_temperature: { type: 'number', min: 35, max: 75, step: 1 }, current_temperature: { type: 'number', read_only: true } },
    state: { power: 'on', target_temperature: 55, current_temperature: 48 } },
  { id: 'plug-1', name: '水壶插座', room: '厨房', kind: 'plug', protocol: 'shelly', online: false,
    capabilities: { power: { type: 'enum', values: ['off', 'on'] } }, state: { power: 'off' } }
]
const device = id => JSON.parse(JSON.stringify(DEVICES.find(d => d.id === id)))

async function setup (language, scenes) {
  const wx = installWx(language)
  const bridge = new FakeBridge(DEVICES, scenes)
  const client = await appClient(bridge)
  useClient(client)
  return { wx, bridge, client }
}

const text = (comp, selector) => comp.querySelector(selector).dom.textContent.trim()

test('a device card shows the name, the live state in one line, and an offline badge', async () => {
  const { client } = await setup('zh_CN')
  const { zh } = require('../app/utils/i18n.js')
  const lamp = render('components/device-card/device-card', { device: device('lamp-1'), t: zh })
  assert.equal(text(lamp, '.name'), '客厅台灯')
  assert.equal(text(lamp, '.line'), '40% · 2703K')
  assert.equal(lamp.querySelector('.badge'), undefined)
  assert.equal(lamp.querySelector('.card').dom.getAttribute('data-online'), 'true')
  assert.equal(text(lamp, '.toggle'), '开')
  const plug = render('components/device-card/device-card', { device: device('plug-1'), t: zh })
  assert.equal(text(plug, '.badge'), '离线')
  assert.equal(text(plug, '.line'), '关')
  void client
})

test('tapping the power switch on a card sends set {power} for that device and nothing else', async () => {
  const { bridge } = await setup('zh_CN')
  const { zh } = require('../app/utils/i18n.js')
  const card = render('components/device-card/device-card', { device: device('lamp-1'), t: zh })
  await tap(card, '.toggle')
  const frame = await bridge.next('set')
  assert.deepEqual({ device: frame.device, state: frame.state }, { device: 'lamp-1', state: { power: 'off' } })
  const offline = render('components/device-card/device-card', { device: device('plug-1'), t: zh })
  await tap(offline, '.toggle')
  await settle()
  assert.equal(bridge.sent('set').length, 1, 'an offline device is not sent anything')
})

test('a card shows a failure in words, in the phone language, never as a code', async () => {
  for (const [language, expected] of [['zh_CN', '设备离线'], ['en', 'The device is offline']]) {
    const { bridge } = await setup(language)
    const i18n = require('../app/utils/i18n.js')
    bridge.failures.set = { code: 'device_offline', message: 'lamp-1 is offline' }
    const card = render('components/device-card/device-card', { device: device('lamp-1'), t: i18n.texts() })
    await tap(card, '.toggle')
    await bridge.next('set')
    await settle(); await settle()
    assert.equal(text(card, '.error'), expected)
    assert.ok(!card.dom.innerHTML.includes('device_offline'))
  }
})

test('the home page lists devices by room, shows the path, and follows state events live', async () => {
  const { bridge } = await setup('zh_CN', [{ id: 'leave-home', name: '离家', actions: [] }])
  const home = render('pages/home/home')
  await home.instance.onLoad()
  const rooms = home.querySelectorAll('.section-title').map(n => n.dom.textContent.trim())
  assert.deepEqual(rooms, ['厨房', '客厅', '卧室', '其他'])
  assert.equal(home.querySelectorAll('.device').length, 4)
  assert.equal(text(home, '.path'), '家中直连')
  assert.ok(home.querySelector('.scenes-link'), 'scenes are offered when the bridge has some')
  bridge.event({ event: 'state', device: 'lamp-1', state: { power: 'on', brightness: 80, color_temp: 2703 } })
  await settle()
  assert.ok(home.dom.innerHTML.includes('80% · 2703K'), home.dom.innerHTML)
  assert.ok(home.dom.innerHTML.includes('离线'), 'the plug is shown offline')
  bridge.event({ event: 'online', device: 'plug-1', online: true })
  await settle()
  assert.ok(!home.dom.innerHTML.includes('离线'), 'and online once it is back')
})

test('an unpaired phone is sent to the pairing page', async () => {
  const { wx, client } = await setup('zh_CN')
  client.bridge = null
  const home = render('pages/home/home')
  home.instance.onLoad()
  assert.deepEqual(wx.navigations, [['redirectTo', '/pages/pair/pair']])
})

test('the AC page steps the target by 0.5 within the range and sends the mode chosen', async () => {
  const { bridge } = await setup('zh_CN')
  const ac = render('pages/ac/ac')
  await ac.instance.onLoad({ id: 'ac-1' })
  assert.equal(text(ac, '.target'), '24℃')
  assert.equal(text(ac, '.room-temp'), '27.5℃')
  await tap(ac, '.warmer')
  assert.deepEqual((await bridge.next('set')).state, { target_temperature: 24.5 })
  await settle()
  assert.equal(text(ac, '.target'), '24.5℃')
  await tap(ac, '.cooler')
  assert.deepEqual((await bridge.next('set')).state, { target_temperature: 24 })
  await settle()
  const cool = ac.querySelectorAll('.mode').find(n => n.dom.textContent.trim() === '制冷')
  cool.dispatchEvent('tap')
  assert.deepEqual((await bridge.next('set')).state, { mode: 'cool' })
  await settle()
  bridge.devices.find(d => d.id === 'ac-1').state.target_temperature = 30
  bridge.event({ event: 'state', device: 'ac-1', state: Object.assign({}, bridge.devices[1].state) })
  await settle()
  await tap(ac, '.warmer')
  assert.deepEqual((await bridge.next('set')).state, { target_temperature: 30 }, 'not above the maximum')
})

test('the water heater page steps by 1 degree', async () => {
  const { bridge } = await setup('en')
  const heater = render('pages/heater/heater')
  await heater.instance.onLoad({ id: 'water-heater-1' })
  await tap(heater, '.cooler')
  assert.deepEqual((await bridge.next('set')).state, { target_temperature: 54 })
})

test('the lamp page sends brightness from the slider and says when the lamp did not respond', async () => {
  const { bridge } = await setup('zh_CN')
  const lamp = render('pages/lamp/lamp')
  await lamp.instance.onLoad({ id: 'lamp-1' })
  lamp.querySelector('.brightness').dispatchEvent('change', { detail: { value: 80 } })
  assert.deepEqual((await bridge.next('set')).state, { brightness: 80 })
  await settle()
  assert.equal(text(lamp, '.brightness-value'), '80%')
  bridge.failures.set = { code: 'timeout', message: 'lamp-1 did not confirm within 5 s' }
  lamp.querySelector('.color-temp').dispatchEvent('change', { detail: { value: 4000 } })
  assert.deepEqual((await bridge.next('set')).state, { color_temp: 4000 })
  await settle(); await settle()
  assert.equal(text(lamp, '.error'), '设备没有响应')
})

test('the pairing page: a wrong code is explained, a right one leads home', async () => {
  const { wx, client } = await setup('zh_CN')
  const { BridgeError } = require('../sdk/lib/core.js')
  const pair = render('pages/pair/pair')
  pair.instance.onLoad()
  pair.instance.typeCode({ detail: { value: '12a3' } })
  await pair.instance.submit()
  assert.equal(text(pair, '.error'), '配对码是 6 位数字')
  assert.equal(client.calls.pair.length, 0)
  client.pair = () => Promise.reject(new BridgeError('forbidden', 'wrong code'))
  pair.instance.typeCode({ detail: { value: '123456' } })
  await pair.instance.submit()
  assert.equal(text(pair, '.error'), '配对码不对或已过期，请输入网关上显示的最新配对码')
  client.pair = r => { client.calls.pair.push(r); return Promise.resolve({ bridge: 'bridge-1' }) }
  await pair.instance.submit()
  assert.deepEqual(client.calls.pair, [{ code: '123456', name: '我的手机' }])
  assert.deepEqual(wx.navigations, [['reLaunch', '/pages/home/home']])
})

test('the scenes page runs a scene and names the devices that did not follow', async () => {
  const { bridge, client } = await setup('zh_CN', [{ id: 'leave-home', name: '离家', actions: [] }])
  await client.devices()
  const scenes = render('pages/scenes/scenes')
  await scenes.instance.onLoad()
  assert.equal(text(scenes, '.label'), '离家')
  bridge._answer = (orig => f => f.op === 'scene_run'
    ? bridge.transport.onMessage(JSON.stringify({ id: f.id, ok: true, results: [{ device: 'lamp-1', ok: true, state: {} }, { device: 'ac-1', ok: false, error: { code: 'timeout', message: 'x' } }] }))
    : orig.call(bridge, f))(bridge._answer)
  await tap(scenes, '.run')
  assert.equal((await bridge.next('scene_run')).scene, 'leave-home')
  await settle()
  assert.equal(text(scenes, '.result'), '部分设备没有执行：卧室空调（设备没有响应）')
})

test('the installer page hands the Wi-Fi settings to provisionSoftAp', async () => {
  const { client } = await setup('en')
  const page = render('pages/installer/installer')
  page.instance.onLoad()
  page.instance.type({ currentTarget: { dataset: { field: 'ssid' } }, detail: { value: 'Home' } })
  page.instance.type({ currentTarget: { dataset: { field: 'password' } }, detail: { value: 'secret123' } })
  await page.instance.start()
  assert.deepEqual(client.calls.provisionSoftAp, [{ address: '192.168.4.1', ssid: 'Home', password: 'secret123', pop: undefined }])
  assert.match(text(page, '.done'), /^ESP device/)
})

test('the installer page sets up an ESP device with security 2 over the real SDK: a wrong setup code is told in words, the right one works', async () => {
  installWx('en')
  const device = await espDevice({ secVer: 2, pop: 'abcd1234' })
  try {
    useClient(createClient({ wx: new FakeWx(), provisionTimeoutMs: 3000 }))
    const page = render('pages/installer/installer')
    page.instance.onLoad()
    const type = (field, value) => page.instance.type({ currentTarget: { dataset: { field } }, detail: { value } })
    type('address', device.address)
    type('ssid', HOME.ssid)
    type('password', HOME.password)
    type('pop', 'abcd1235')
    await page.instance.start()
    assert.match(text(page, '.error'), /^Setting up the device did not work：the device did not accept the proof of possession/)
    assert.equal(device.received, null)
    type('pop', 'abcd1234')
    await page.instance.start()
    assert.match(text(page, '.done'), /^ESP device/)
    assert.deepEqual(device.received, { ssid: HOME.ssid, password: HOME.password })
  } finally {
    await device.close()
  }
})

test('the sample opens in WeChat devtools: every page in app.json has its files and is a Component(); the project config is valid', () => {
  const fs = require('node:fs')
  const path = require('node:path')
  const root = path.join(__dirname, '../app')
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'))
  const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'))
  assert.equal(project.compileType, 'miniprogram')
  assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies['devicebridge-miniprogram'], 'file:../sdk')
  assert.deepEqual(app.pages.map(p => p.split('/')[1]).sort(), ['ac', 'heater', 'home', 'installer', 'lamp', 'pair', 'scenes'])
  for (const page of app.pages.concat(['components/device-card/device-card'])) {
    for (const ext of ['js', 'json', 'wxml', 'wxss']) assert.ok(fs.existsSync(path.join(root, page + '.' + ext)), page + '.' + ext)
    assert.match(fs.readFileSync(path.join(root, page + '.js'), 'utf8'), /\bComponent\(\{/, page)
    const json = JSON.parse(fs.readFileSync(path.join(root, page + '.json'), 'utf8'))
    for (const used of Object.values(json.usingComponents || {})) assert.ok(fs.existsSync(path.join(root, used + '.js')), used)
  }
  // Mini-programs have no Node built-ins: only the app's own files and the SDK (after "build npm").
  const files = dir => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)])
  for (const file of files(root).filter(f => f.endsWith('.js'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      assert.ok(/^\.\.?\//.test(m[1]) || m[1] === 'devicebridge-miniprogram', path.relative(root, file) + ' requires ' + m[1])
      if (m[1] !== 'devicebridge-miniprogram') assert.ok(fs.existsSync(path.join(path.dirname(file), m[1])), path.relative(root, file) + ': ' + m[1])
    }
  }
})

test('Chinese and English say the same things: the same keys, nothing empty', () => {
  const { zh, en } = require('../app/utils/i18n.js')
  const keys = (o, prefix) => Object.keys(o).flatMap(k => typeof o[k] === 'object' ? keys(o[k], prefix + k + '.') : [prefix + k]).sort()
  assert.deepEqual(keys(zh, ''), keys(en, ''))
  const values = o => Object.values(o).flatMap(v => typeof v === 'object' ? values(v) : [v])
  assert.ok(values(zh).concat(values(en)).every(v => typeof v === 'string' && v.length > 0))
  const codes = ['device_offline', 'timeout', 'disconnected', 'unreachable', 'unauthorized', 'forbidden', 'busy', 'invalid_value', 'unsupported_capability', 'unknown_device', 'bad_request', 'provision_failed', 'internal', 'not_paired', 'unknown_bridge', 'bridge_offline']
  for (const code of codes) assert.ok(zh.errors[code] && en.errors[code], code)
})
