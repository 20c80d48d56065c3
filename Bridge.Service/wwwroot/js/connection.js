// The browser's side of the protocol core (clients/miniprogram/sdk/lib/core.js, served as
// /lib/core.js): a WebSocket transport, sign-in checks and reconnection with back-off.
const { Core, BridgeError, backoffDelay } = globalThis.DeviceBridgeCore

const API_PATH = '/api/v1/ws'

/**
 * Provisioning progress (`{"event":"provision","id":…,"step":…}`) carries the request's id, which
 * the core would take for the reply: the adapter hands those frames to these listeners instead.
 */
const progressListeners = new Set()
export function onProvisionProgress (fn) { progressListeners.add(fn); return () => progressListeners.delete(fn) }

function isProgress (text) {
  if (text.indexOf('"provision"') < 0) return false
  try {
    const msg = JSON.parse(text)
    if (msg.event !== 'provision') return false
    for (const fn of progressListeners) fn(msg)
    return true
  } catch { return false }
}

/**
 * The socket early-socket.js opened for this token while the modules loaded, once; null when there
 * is none (no token then, another token, or it has closed already: a fresh one tells why).
 */
function takeEarlySocket (token) {
  const early = globalThis.DeviceBridgeEarlySocket || (globalThis.DeviceBridgeEarlySocket = {})
  const socket = early.socket
  early.taken = true
  early.socket = null
  if (!socket) return null
  if (early.token === token && socket.readyState <= WebSocket.OPEN) return socket
  socket.close(1000)
  return null
}

/** Opens the API's WebSocket; resolves with a transport for Core.attach, rejects if it never opens. */
function openTransport (token) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  // Browsers cannot set headers on a WebSocket: the token goes in the query (CONTRACT.md, Auth).
  const socket = takeEarlySocket(token) ||
    new WebSocket(`${scheme}//${location.host}${API_PATH}?access_token=${encodeURIComponent(token)}`)
  return new Promise((resolve, reject) => {
    const transport = {
      send: text => socket.send(text),
      close: () => { socket.onclose = null; socket.close(1000) },
      onMessage: null,
      onClose: null
    }
    socket.onmessage = e => { if (!isProgress(e.data) && transport.onMessage) transport.onMessage(e.data) }
    const opened = () => {
      socket.onclose = e => transport.onClose && transport.onClose({ code: e.code, reason: e.reason })
      resolve(transport)
    }
    socket.onclose = () => reject(new BridgeError('unreachable', 'the bridge did not accept the connection'))
    // An early socket can be open already: its open event has passed.
    if (socket.readyState === WebSocket.OPEN) opened()
    else socket.onopen = opened
  })
}

/**
 * Why a connection failed: asks the same endpoint over plain HTTP, which answers 401 with the
 * reason when the token is refused and 400 ("speaks WebSocket") when it is fine.
 * → 'unauthorized' (with message) | 'unreachable'
 */
async function diagnose (token) {
  try {
    const r = await fetch(API_PATH, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' })
    if (r.status === 401 || r.status === 403) {
      const body = await r.json().catch(() => null)
      return { code: 'unauthorized', message: (body && body.error && body.error.message) || 'the bridge refused this sign-in' }
    }
    return { code: 'unreachable', message: 'the bridge answered but refused the connection (' + r.status + ')' }
  } catch {
    return { code: 'unreachable', message: 'the bridge cannot be reached' }
  }
}

/**
 * Keeps one core connected while a token is good.
 * status(kind, message): 'connecting' | 'connected' | 'lost' (retrying) | 'unauthorized' (gave up)
 */
export function createConnection (token, status) {
  const core = new Core({ timeoutMs: 10000, heartbeatMs: 15000 })
  let attempt = 0
  let stopped = false
  let timer = null

  async function connect () {
    if (stopped) return
    status(attempt === 0 ? 'connecting' : 'lost', attempt === 0 ? 'Connecting…' : 'Connection to the bridge lost; reconnecting…')
    try {
      const transport = await openTransport(token)
      await core.attach(transport)
      attempt = 0
      status('connected', 'Connected')
    } catch (e) {
      const why = await diagnose(token)
      if (why.code === 'unauthorized') {
        stopped = true
        status('unauthorized', why.message)
        return
      }
      attempt++
      status('lost', 'The bridge cannot be reached; retrying…')
      timer = setTimeout(connect, 500 + backoffDelay(attempt, 500, 10000))
    }
  }

  core.on('detached', () => {
    if (stopped) return
    attempt = Math.max(attempt, 1)
    clearTimeout(timer)
    timer = setTimeout(connect, backoffDelay(0, 200, 200))
  })

  connect()
  return {
    core,
    /** A request with its own time limit (provisioning takes longer than the core's default). */
    request (op, fields, timeoutMs) {
      if (!timeoutMs) return core.request(op, fields)
      const saved = core.timeoutMs
      core.timeoutMs = timeoutMs
      try { return core.request(op, fields) } finally { core.timeoutMs = saved }
    },
    close () { stopped = true; clearTimeout(timer); core.close() }
  }
}

/** POST /api/v1/pair → { token, bridge } or throws an Error with the bridge's message. */
export async function pairWithCode (code, name) {
  const r = await fetch('/api/v1/pair', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code, name })
  })
  const body = await r.json().catch(() => null)
  if (!r.ok) throw new Error((body && body.error && body.error.message) || 'pairing failed (' + r.status + ')')
  return body
}
