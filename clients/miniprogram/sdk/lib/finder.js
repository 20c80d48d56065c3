'use strict'
// Finding a bridge on the home's Wi-Fi (CONTRACT.md, "Being found on the LAN"): by mDNS, whose
// instance name carries the bridge id because WeChat reports no TXT, and by the UDP beacon, for
// iOS WeChat, which has no mDNS. Both give the local API's WebSocket URL.

const NAME_PREFIX = 'DeviceBridge-'
const API_PATH = '/api/v1/ws'
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

function lanUrl (ip, port) {
  return 'ws://' + ip + ':' + port + API_PATH
}

/** `ws://ip:port/api/v1/ws` → `http://ip:port` (pairing and provisioning go through wx.request). */
function httpBase (wsUrl) {
  const m = /^ws:\/\/([^/]+)/.exec(wsUrl)
  return m ? 'http://' + m[1] : null
}

/** True when an mDNS instance name is the given bridge's (or any bridge's when id is null). A name
 * conflict renames an instance to "Name (2)", so that form counts too. */
function isBridgeName (serviceName, id) {
  if (typeof serviceName !== 'string' || serviceName.indexOf(NAME_PREFIX) !== 0) return false
  if (!id) return true
  const rest = serviceName.slice(NAME_PREFIX.length)
  return rest === id || rest.indexOf(id + ' (') === 0
}

/**
 * The WebSocket URLs of the bridge `id` (of any bridge when id is null) that mDNS finds within
 * timeoutMs: the first match at once when the id is known, every one found when it is not.
 */
function byMdns (adapter, id, timeoutMs) {
  const found = []
  return adapter.findByMdns(s => {
    if (!isBridgeName(s.serviceName, id) || !IPV4.test(s.ip) || !(s.port > 0 && s.port < 65536)) return false
    const url = lanUrl(s.ip, s.port)
    if (found.indexOf(url) < 0) found.push(url)
    return !!id
  }, timeoutMs).then(() => found)
}

/**
 * The same through the UDP beacon; only replies naming the bridge `id` count when it is known.
 * `lastUrl`'s host is asked directly too: it finds a bridge whose port changed where broadcasts fail.
 */
function byBeacon (adapter, id, port, timeoutMs, lastUrl) {
  const last = /^ws:\/\/([\d.]+):/.exec(lastUrl || '')
  const found = []
  return adapter.findByBeacon(reply => {
    if (id && reply.id !== id) return false
    if (found.indexOf(reply.ws) < 0) found.push(reply.ws)
    return !!id
  }, port, timeoutMs, 1000, last && last[1]).then(() => found)
}

module.exports = { byMdns, byBeacon, lanUrl, httpBase, isBridgeName, NAME_PREFIX, API_PATH }
