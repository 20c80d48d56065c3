'use strict'
// Pairing (docs/protocol.md, "Pairing a phone"): the 6-digit code the bridge prints, exchanged for
// a token with POST /api/v1/pair on the bridge's LAN address, which is found as for connecting but
// without knowing the bridge's id yet: every bridge found is asked until one takes the code.
const { BridgeError } = require('./core.js')
const finder = require('./finder.js')

/** Worst first: a refusal of the code says more than a bridge that was not reached. */
const WEIGHT = { forbidden: 4, busy: 3, bad_request: 2, internal: 1, unreachable: 0 }

/** "192.168.1.20", "192.168.1.20:8970" or a ws:// URL typed by a person → the API's ws URL. */
function addressUrl (address) {
  const text = String(address).trim()
  if (/^ws:\/\//.test(text)) return text
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text)
  if (!m) throw new BridgeError('bad_request', 'not an IPv4 address: ' + text)
  return finder.lanUrl(m[1], m[2] || 8970)
}

async function ask (adapter, wsUrl, code, name, timeoutMs) {
  const res = await adapter.http({
    url: finder.httpBase(wsUrl) + '/api/v1/pair',
    method: 'POST',
    data: { code: code, name: name },
    header: { 'content-type': 'application/json' },
    timeoutMs: timeoutMs
  })
  const body = res.data && typeof res.data === 'object' ? res.data : {}
  if (res.status === 200 && typeof body.token === 'string' && typeof body.bridge === 'string') {
    return { bridge: body.bridge, token: body.token, ws: wsUrl }
  }
  const err = body.error && typeof body.error === 'object' ? body.error : {}
  const byStatus = { 400: 'bad_request', 403: 'forbidden', 429: 'busy' }
  throw new BridgeError(typeof err.code === 'string' ? err.code : byStatus[res.status] || 'internal',
    typeof err.message === 'string' ? err.message : 'the bridge answered HTTP ' + res.status)
}

/**
 * Resolves with { bridge, token, ws } from the first bridge that accepts the code; rejects with
 * `forbidden` (wrong, used or expired code), `busy` (too many wrong codes), `bad_request` or
 * `unreachable` (no bridge found on this Wi-Fi).
 */
async function pair (adapter, request, o) {
  const code = String((request && request.code) || '').trim()
  if (!/^\d{6}$/.test(code)) throw new BridgeError('bad_request', 'a pairing code is 6 digits')
  if ((await adapter.networkType()) !== 'wifi') throw new BridgeError('unreachable', 'pairing needs the Wi-Fi the bridge is on')
  const name = String((request && request.name) || 'WeChat mini-program').slice(0, 64)
  const tried = []
  let worst = null
  const attempt = async urls => {
    for (const url of urls) {
      if (tried.indexOf(url) >= 0) continue
      tried.push(url)
      try {
        return await ask(adapter, url, code, name, o.timeoutMs)
      } catch (e) {
        if (!worst || (WEIGHT[e.code] || 0) > (WEIGHT[worst.code] || 0)) worst = e
      }
    }
    return null
  }
  const first = request.address ? [addressUrl(request.address)] : o.lastWs ? [o.lastWs] : []
  const paired = (await attempt(first)) ||
    (await attempt(await finder.byMdns(adapter, null, o.mdnsMs))) ||
    (await attempt(await finder.byBeacon(adapter, null, o.beaconPort, o.beaconMs, o.lastWs)))
  if (paired) return paired
  throw worst || new BridgeError('unreachable', 'no bridge found on this Wi-Fi')
}

module.exports = { pair, addressUrl }
