'use strict'
// Phone-side SoftAP provisioning (CONTRACT.md, "The mini-program SDK"): an installer's phone on a
// new device's own access point hands it the home's Wi-Fi through wx.request. What answers at the
// address decides how: ESP-IDF unified provisioning (PROTOCOLS.md §7, security 0 over HTTP), a
// Shelly Gen2+ (§9.1, WiFi.SetConfig) or Tasmota's Wi-Fi form (§9.2). Messages are in an
// installer's words and say what state the device was left in. Nothing here is logged.
const { BridgeError } = require('./core.js')
const pb = require('./protobuf.js')
const { decodeUtf8 } = require('./utf8.js')

const STA = { 0: 'connected', 1: 'connecting', 2: 'disconnected', 3: 'failed' }
/** How often to ask an ESP device whether it joined, and for how long (ESPHome gives up at 30 s). */
const POLL_MS = 1000
const JOIN_MS = 40000

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
  if (esp && esp.status === 200 && /"prov"/.test(String(esp.data))) return espIdf(adapter, url, request, JSON.parse(esp.data).prov, o)
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

/** ESP-IDF: proto-ver → prov-session → SetConfig → ApplyConfig → GetStatus until joined or failed. */
async function espIdf (adapter, url, request, prov, o) {
  const security = prov && typeof prov.sec_ver === 'number' ? prov.sec_ver : (prov && prov.cap && prov.cap.indexOf('no_sec') >= 0 ? 0 : 1)
  if (security !== 0) {
    throw failed('this ESP device uses provisioning security ' + security + ', which this app cannot speak yet; set it up from the bridge instead (provision, method softap). It was left untouched')
  }
  const post = async (endpoint, fields) => {
    const res = await adapter.http({
      url: url + '/' + endpoint,
      method: 'POST',
      header: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/plain' },
      data: pb.encode(fields).buffer,
      responseType: 'arraybuffer',
      timeoutMs: o.timeoutMs
    })
    if (res.status !== 200) throw failed('the device answered ' + endpoint + ' with HTTP ' + res.status + ': ' + decodeUtf8(res.data || new ArrayBuffer(0)).slice(0, 80))
    try {
      return pb.decode(res.data)
    } catch (e) {
      throw failed('the device\'s answer to ' + endpoint + ' could not be read (' + e.message + ')')
    }
  }
  // Security 0: SessionData{sec_ver:0, sec0:10 = S0Payload{msg:0, sc:20 = {}}} → sr:21{status:0}.
  const session = await post('prov-session', [[10, [[20, []]]]])
  const sr = pb.decode(pb.first(pb.decode(pb.first(session, 10, new Uint8Array(0))), 21, new Uint8Array(0)))
  if (pb.first(sr, 1) !== 0) throw failed('the device refused the setup session (status ' + pb.first(sr, 1) + '); it was left untouched')
  const config = async (msg, cmdField, body, respField) => {
    const reply = await post('prov-config', [[1, msg], [cmdField, body]])
    return pb.decode(pb.first(reply, respField, new Uint8Array(0)))
  }
  const set = await config(2, 12, [[1, request.ssid], [2, request.password || '']], 13)
  if (pb.first(set, 1) !== 0) throw failed('the device refused the Wi-Fi settings (status ' + pb.first(set, 1) + '); it keeps its access point')
  const apply = await config(4, 14, [], 15)
  if (pb.first(apply, 1) !== 0) throw failed('the device could not apply the Wi-Fi settings (status ' + pb.first(apply, 1) + '); it keeps its access point')
  for (let poll = 0; ; poll++) {
    const status = await config(0, 10, [], 11)
    const state = STA[pb.first(status, 2)]
    if (state === 'connected') {
      const ip = pb.first(pb.decode(pb.first(status, 11, new Uint8Array(0))), 1, null)
      return { kind: 'esp-idf', redirect: ip && ip.length ? 'http://' + decodeUtf8(ip) + '/' : null }
    }
    if (state === 'failed') {
      const reason = pb.first(status, 10, -1) === 0 ? 'the Wi-Fi password is wrong' : pb.first(status, 10, -1) === 1 ? 'the network "' + request.ssid + '" was not found' : 'it could not join "' + request.ssid + '"'
      throw failed(reason + '; the device keeps its access point but takes new settings only after a reset')
    }
    if (poll * POLL_MS >= JOIN_MS) throw failed('the device did not say it joined "' + request.ssid + '" within ' + JOIN_MS / 1000 + ' s; it may still be trying')
    await new Promise(resolve => o.timers.setTimeout(resolve, POLL_MS))
  }
}

module.exports = { provisionSoftAp }
