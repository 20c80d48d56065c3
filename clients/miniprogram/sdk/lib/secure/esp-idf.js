'use strict'
// ESP-IDF unified provisioning over a device's SoftAP (PROTOCOLS.md §7): proto-ver told us the
// security; here the session (0 in the clear; 1 and 2 through ./session.js), then the Wi-Fi
// settings, apply, and the device's verdict. Loaded by provision.js only when an ESP device
// answers, so the SDK's everyday path carries none of it. Nothing here is logged.
const pb = require('../protobuf.js')
const { decodeUtf8 } = require('../utf8.js')

const STA = { 0: 'connected', 1: 'connecting', 2: 'disconnected', 3: 'failed' }
/** How often to ask an ESP device whether it joined, and for how long (ESPHome gives up at 30 s). */
const POLL_MS = 1000
const JOIN_MS = 40000

/** ESP-IDF: proto-ver → prov-session (security 0, 1 or 2) → SetConfig → ApplyConfig → GetStatus until joined or failed. */
async function espIdf (adapter, url, request, prov, o, failed) {
  const security = prov && typeof prov.sec_ver === 'number' ? prov.sec_ver : (prov && prov.cap && prov.cap.indexOf('no_sec') >= 0 ? 0 : 1)
  const patch = prov && typeof prov.sec_patch_ver === 'number' ? prov.sec_patch_ver : 0
  if (security !== 0 && security !== 1 && security !== 2) {
    throw failed('this ESP device uses provisioning security ' + security + ', which this app cannot speak; it was left untouched')
  }
  const needsPop = security === 2 || (security === 1 && !(prov.cap && prov.cap.indexOf('no_pop') >= 0))
  if (needsPop && !request.pop) {
    throw failed('this device needs its proof of possession (pop): the code on its label or in its firmware; it was left untouched')
  }
  const raw = async (endpoint, bytes) => {
    const res = await adapter.http({
      url: url + '/' + endpoint,
      method: 'POST',
      header: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/plain' },
      data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      responseType: 'arraybuffer',
      timeoutMs: o.timeoutMs
    })
    if (res.status !== 200) throw failed('the device answered ' + endpoint + ' with HTTP ' + res.status + ': ' + decodeUtf8(res.data || new ArrayBuffer(0)).slice(0, 80))
    return new Uint8Array(res.data || new ArrayBuffer(0))
  }
  let cipher = { encrypt: b => b, decrypt: b => b }
  if (security === 0) {
    // SessionData{sec_ver:0, sec0:10 = S0Payload{msg:0, sc:20 = {}}} → sr:21{status:0}.
    let sr
    try {
      const session = pb.decode(await raw('prov-session', pb.encode([[10, [[20, []]]]])))
      sr = pb.decode(pb.first(pb.decode(pb.first(session, 10, new Uint8Array(0))), 21, new Uint8Array(0)))
    } catch (e) {
      throw e.code ? e : failed('the device\'s answer to prov-session could not be read (' + e.message + ')')
    }
    if (pb.first(sr, 1) !== 0) throw failed('the device refused the setup session (status ' + pb.first(sr, 1) + '); it was left untouched')
  } else {
    // The cryptography is loaded here only, not with the SDK (lib/secure: X25519, SRP-6a, AES).
    const { handshake } = require('./session.js')
    try {
      cipher = await handshake(security, bytes => raw('prov-session', bytes), {
        pop: request.pop, username: request.username, patch, random: n => adapter.randomBytes(n)
      })
    } catch (e) {
      if (e.pop) throw failed('the device did not accept the proof of possession (pop): check the code on its label or in its firmware; it was left untouched')
      throw e.code ? e : failed(e.message + '; it was left untouched')
    }
  }
  const post = async (endpoint, fields) => {
    const reply = await raw(endpoint, cipher.encrypt(pb.encode(fields)))
    try {
      return pb.decode(cipher.decrypt(reply))
    } catch (e) {
      throw failed('the device\'s answer to ' + endpoint + ' could not be read (' + e.message + ')')
    }
  }
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

module.exports = { espIdf }
