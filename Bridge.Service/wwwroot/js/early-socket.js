// Opens the API's WebSocket as soon as the page starts, while the console's modules are still
// being fetched: the handshake then overlaps the module loading instead of following it
// (docs/benchmarks.md, "Issue #12"). A classic `async` script, so it runs the moment it arrives.
// It only opens the socket; connection.js adopts it (takeEarlySocket) and the protocol core
// subscribes on it as on any other. Nothing is sent here, so nothing can be lost before that.
;(function () {
  'use strict'
  var early = globalThis.DeviceBridgeEarlySocket = globalThis.DeviceBridgeEarlySocket || {}
  if (early.taken) return // the console started first and opened its own
  var match = /(?:^#|&)token=([^&]+)/.exec(location.hash)
  var token = null
  try { token = match ? decodeURIComponent(match[1]) : localStorage.getItem('devicebridge.token') } catch (e) { return }
  if (!token) return
  var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  // Browsers cannot set headers on a WebSocket: the token goes in the query (CONTRACT.md, Auth).
  early.token = token
  early.socket = new WebSocket(scheme + '//' + location.host + '/api/v1/ws?access_token=' + encodeURIComponent(token))
})()
