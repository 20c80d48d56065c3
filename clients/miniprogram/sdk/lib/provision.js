'use strict'
// Phone-side SoftAP provisioning (CONTRACT.md, "The mini-program SDK"): an installer's phone on a
// new device's own access point hands it the home's Wi-Fi through wx.request. What answers at the
// address decides how: ESP-IDF unified provisioning (PROTOCOLS.md §7, security 0, 1 or 2 over HTTP), a
// Shelly Gen2+ (§9.1, WiFi.SetConfig) or Tasmota's Wi-Fi form (§9.2). Messages are in an
// installer's words and say what state the device was left in. Nothing here is logged.
const { BridgeError } = require('./core.js')


function failed (message) {
  return new BridgeError('provision_failed', message)
}

function base (address) {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(String(address || '').trim())
  if (!m) throw new BridgeError('bad_request', 'the device address must be an IPv4 address such as 192.168.4.1, not "' + address + '"')
  return 'http://' + m[1] + (m[2] ? ':' + m[2] : '')
}

/** wx.request, or null when nothing answers (another kind of device, or none at all). */
function tryHttp (adapter, req) {
  return adapter.http(req).catch(() => null)
}

async function provisionSoftAp (adapter, request, o) {
  const url = base(request.address)
  if (!request.ssid) throw new BridgeError('bad_request', 'the Wi-Fi name (ssid) is missing')
  const timeoutMs = o.timeoutMs
  const esp = await tryHttp(adapter, { url: url + '/proto-ver', method: 'POST', data: '---', header: { 'content-type': 'application/x-www-form-urlencoded' }, dataType: 'text', timeoutMs })
  if (esp && esp.status === 200 && /"prov"/.test(String(esp.data))) return require('./secure/esp-idf.js').espIdf(adapter, url, request, JSON.parse(esp.data).prov, o, failed)
  const shelly = await tryHttp(adapter, { url: url + '/shelly', timeoutMs })
  if (shelly && shelly.status === 200 && shelly.data && shelly.data.gen >= 2) return shellyGen2(adapter, url, request, timeoutMs)
  const page = await tryHttp(adapter, { url: url + '/', dataType: 'text', timeoutMs })
  if (page && page.status === 200 && /tasmota/i.test(String(page.data))) return tasmota(adapter, url, request, timeoutMs)
  throw failed(page || shelly || esp
    ? 'the device at ' + request.address + ' is not one this app can set up (ESP-IDF provisioning, Shelly Gen2+ or Tasmota); it was left untouched'
    : 'no answer at ' + request.address + ': is the phone on the device\'s own access point, and is the device in setup mode?')
}

async function shellyGen2 (adapter, url, request, timeoutMs) {
  const res = await adapter.http({
    url: url + '/rpc',
    method: 'POST',
    header: { 'content-type': 'application/json' },
    data: { id: 1, method: 'WiFi.SetConfig', params: { config: { sta: { ssid: request.ssid, pass: request.password || '', enable: true } } } },
    timeoutMs
  })
  const body = res.data || {}
  if (res.status !== 200 || body.error || !body.result) {
    const why = body.error ? body.error.message + ' (' + body.error.code + ')' : 'HTTP ' + res.status
    throw failed('the Shelly refused the Wi-Fi settings: ' + why + '; it keeps its access point and its old settings')
  }
  return { kind: 'shelly', redirect: null }
}

async function tasmota (adapter, url, request, timeoutMs) {
  const q = 's1=' + encodeURIComponent(request.ssid) + '&p1=' + encodeURIComponent(request.password || '') + '&save='
  const res = await adapter.http({ url: url + '/wi?' + q, dataType: 'text', timeoutMs })
  if (res.status !== 200) throw failed('Tasmota did not take the Wi-Fi settings (HTTP ' + res.status + '); it keeps its access point')
  return { kind: 'tasmota', redirect: null }
}

module.exports = { provisionSoftAp }
