'use strict'
// Helpers of the end-to-end tests: an SDK client on a fake wx, waiting for its events, and a bare
// WebSocket client playing "another phone".
const WebSocket = require('ws')
const { createClient } = require('../../sdk/index.js')
const { FakeWx } = require('./fake-wx.js')

/** A client on a new fake wx; `paired` seeds the storage as a previous launch would have left it. */
function phone (bridge, options) {
  const o = options || {}
  const wx = new FakeWx(Object.assign({ domains: o.domains }, o.wx))
  if (o.paired) wx.setStorageSync('devicebridge', o.paired)
  const client = createClient(Object.assign({ wx, beaconPort: bridge.beaconPort }, o.client))
  const paths = []
  client.on('path', p => paths.push(p))
  return { wx, client, paths, dispose () { client.close(); wx.dispose() } }
}

/** Resolves with the first `event` for which `match` is true; rejects after timeoutMs. */
function nextEvent (client, event, match, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { client.off(event, on); reject(new Error('no ' + event + ' event within ' + timeoutMs + ' ms')) }, timeoutMs)
    const on = e => {
      if (match && !match(e)) return
      clearTimeout(timer)
      client.off(event, on)
      resolve(e)
    }
    client.on(event, on)
  })
}

/** The path event that says `path`, and how long it took from now. */
async function pathWithin (client, path, timeoutMs) {
  const start = process.hrtime.bigint()
  if (client.path === path) return 0
  await nextEvent(client, 'path', p => p === path, timeoutMs)
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Another phone: a plain WebSocket client of the API. */
async function bareClient (url, token) {
  const ws = new WebSocket(url, { headers: { Authorization: 'Bearer ' + token }, perMessageDeflate: false })
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  const waiting = new Map()
  let next = 1
  ws.on('message', data => {
    const msg = JSON.parse(data.toString())
    const w = waiting.get(msg.id)
    if (w) { waiting.delete(msg.id); w(msg) }
  })
  return {
    ws,
    request (op, fields) {
      const id = 'bare-' + next++
      return new Promise(resolve => {
        waiting.set(id, resolve)
        ws.send(JSON.stringify(Object.assign({ id, op }, fields)))
      })
    },
    close () { ws.terminate() }
  }
}

module.exports = { phone, nextEvent, pathWithin, bareClient }
