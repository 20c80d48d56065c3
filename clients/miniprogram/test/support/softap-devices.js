'use strict'
// Devices in SoftAP setup mode on loopback HTTP, as PROTOCOLS.md §7 and §9 describe them: an
// ESP-IDF unified-provisioning device (its protobuf read and written by npm protobufjs from
// ESP-IDF's message definitions, not by the SDK's own codec; security 1 and 2 with Node's OpenSSL
// for X25519 and AES, SRP's device side from the RFC-5054-checked arithmetic), a Shelly Gen2+, a Tasmota.
const http = require('node:http')
const crypto = require('node:crypto')
const protobuf = require('protobufjs')
const { srp6a, GROUP_3072, toBig, toBytes } = require('../../sdk/lib/secure/srp.js')

// From ESP-IDF components/protocomm/proto (constants, sec0, session) and
// components/wifi_provisioning/proto (wifi_constants, wifi_config).
const root = protobuf.parse(`
syntax = "proto3";
enum Status { Success = 0; InvalidSecScheme = 1; InvalidProto = 2; TooManySessions = 3; InvalidArgument = 4; InternalError = 5; CryptoError = 6; InvalidSession = 7; }
enum SecSchemeVersion { SecScheme0 = 0; SecScheme1 = 1; SecScheme2 = 2; }
message S0SessionCmd {}
message S0SessionResp { Status status = 1; }
enum Sec0MsgType { S0_Session_Command = 0; S0_Session_Response = 1; }
message Sec0Payload { Sec0MsgType msg = 1; oneof payload { S0SessionCmd sc = 20; S0SessionResp sr = 21; } }
message SessionCmd0 { bytes client_pubkey = 1; }
message SessionResp0 { Status status = 1; bytes device_pubkey = 2; bytes device_random = 3; }
message SessionCmd1 { bytes client_verify_data = 2; }
message SessionResp1 { Status status = 1; bytes device_verify_data = 3; }
message Sec1Payload { int32 msg = 1; oneof payload { SessionCmd0 sc0 = 20; SessionResp0 sr0 = 21; SessionCmd1 sc1 = 22; SessionResp1 sr1 = 23; } }
message S2SessionCmd0 { bytes client_username = 1; bytes client_pubkey = 2; }
message S2SessionResp0 { Status status = 1; bytes device_pubkey = 2; bytes device_salt = 3; }
message S2SessionCmd1 { bytes client_proof = 1; }
message S2SessionResp1 { Status status = 1; bytes device_proof = 2; bytes device_nonce = 3; }
message Sec2Payload { int32 msg = 1; oneof payload { S2SessionCmd0 sc0 = 20; S2SessionResp0 sr0 = 21; S2SessionCmd1 sc1 = 22; S2SessionResp1 sr1 = 23; } }
message SessionData { SecSchemeVersion sec_ver = 2; oneof proto { Sec0Payload sec0 = 10; Sec1Payload sec1 = 11; Sec2Payload sec2 = 12; } }
enum WifiStationState { Connected = 0; Connecting = 1; Disconnected = 2; ConnectionFailed = 3; }
enum WifiConnectFailedReason { AuthError = 0; NetworkNotFound = 1; }
message WifiConnectedState { string ip4_addr = 1; int32 auth_mode = 2; bytes ssid = 3; bytes bssid = 4; int32 channel = 5; }
enum WiFiConfigMsgType { TypeCmdGetStatus = 0; TypeRespGetStatus = 1; TypeCmdSetConfig = 2; TypeRespSetConfig = 3; TypeCmdApplyConfig = 4; TypeRespApplyConfig = 5; }
message CmdGetStatus {}
message RespGetStatus { Status status = 1; WifiStationState sta_state = 2; oneof state { WifiConnectFailedReason fail_reason = 10; WifiConnectedState connected = 11; } }
message CmdSetConfig { bytes ssid = 1; bytes passphrase = 2; bytes bssid = 3; int32 channel = 4; }
message RespSetConfig { Status status = 1; }
message CmdApplyConfig {}
message RespApplyConfig { Status status = 1; }
message WiFiConfigPayload { WiFiConfigMsgType msg = 1; oneof payload { CmdGetStatus cmd_get_status = 10; RespGetStatus resp_get_status = 11; CmdSetConfig cmd_set_config = 12; RespSetConfig resp_set_config = 13; CmdApplyConfig cmd_apply_config = 14; RespApplyConfig resp_apply_config = 15; } }
`).root
const SessionData = root.lookupType('SessionData')
const WiFiConfigPayload = root.lookupType('WiFiConfigPayload')

function listen (handler) {
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => handler(req, Buffer.concat(chunks), res))
  })
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve({
    server,
    address: '127.0.0.1:' + server.address().port,
    close: () => new Promise(r => { server.closeAllConnections(); server.close(r) })
  })))
}

/** The home network the device can join; anything else fails as a real one would. */
const HOME = { ssid: 'Home', password: 'p&ss w0rd/é' }

const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex')
const sha512 = b => new Uint8Array(crypto.createHash('sha512').update(b).digest())

/** The device's side of security 1 (OpenSSL X25519 and AES-256-CTR, one keystream both ways). */
function security1Device (pop) {
  const keys = crypto.generateKeyPairSync('x25519')
  const mine = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  let stream = null
  let client = null
  return {
    step (m) {
      if (m.sc0) {
        client = Buffer.from(m.sc0.clientPubkey)
        const shared = crypto.diffieHellman({ privateKey: keys.privateKey, publicKey: crypto.createPublicKey({ key: Buffer.concat([X25519_SPKI, client]), format: 'der', type: 'spki' }) })
        if (pop) { const d = crypto.createHash('sha256').update(pop).digest(); for (let i = 0; i < 32; i++) shared[i] ^= d[i] }
        const random = crypto.randomBytes(16)
        stream = crypto.createCipheriv('aes-256-ctr', shared, random)
        return { msg: 1, sr0: { status: 0, devicePubkey: mine, deviceRandom: random } }
      }
      // ESP-IDF ends the session (the HTTP handler fails) when the installer's proof is not our key.
      if (!stream.update(Buffer.from(m.sc1.clientVerifyData)).equals(mine)) throw new Error('key mismatch')
      return { msg: 3, sr1: { status: 0, deviceVerifyData: stream.update(client) } }
    },
    encrypt: b => stream.update(b),
    decrypt: b => stream.update(b)
  }
}

/** The device's side of security 2: salt and verifier made from the PoP, AES-256-GCM (OpenSSL), counting nonce. */
function security2Device (username, pop, patch) {
  const srp = srp6a(GROUP_3072, sha512)
  const salt = crypto.randomBytes(16)
  const v = srp.verifier(salt, username, pop)
  const b = toBig(crypto.randomBytes(32))
  const B = srp.devicePublic(b, v)
  let A = null
  let key = null
  let nonce = null
  const advance = () => { if (patch >= 1) nonce.writeUInt32BE(nonce.readUInt32BE(8) + 1, 8) }
  return {
    step (m) {
      if (m.sc0) {
        if (Buffer.from(m.sc0.clientUsername).toString() !== username) throw new Error('unknown user')
        A = toBig(m.sc0.clientPubkey)
        return { msg: 1, sr0: { status: 0, devicePubkey: toBytes(B), deviceSalt: salt } }
      }
      const K = srp.sessionKey(srp.deviceSecret(A, v, srp.u(A, B), b))
      const M1 = srp.clientProof(username, salt, A, B, K)
      if (!Buffer.from(M1).equals(Buffer.from(m.sc1.clientProof))) throw new Error('proof mismatch')
      key = Buffer.from(K.subarray(0, 32))
      nonce = crypto.randomBytes(12)
      return { msg: 3, sr1: { status: 0, deviceProof: srp.deviceProof(A, M1, K), deviceNonce: Buffer.from(nonce) } }
    },
    encrypt (plain) {
      const c = crypto.createCipheriv('aes-256-gcm', key, nonce)
      const out = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
      advance()
      return out
    },
    decrypt (data) {
      const d = crypto.createDecipheriv('aes-256-gcm', key, nonce)
      d.setAuthTag(data.subarray(data.length - 16))
      const out = Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()])
      advance()
      return out
    }
  }
}

/** options: { secVer (0), pop, username ('wifiprov'), patch (sec_patch_ver, 1) } */
async function espDevice (options) {
  const o = Object.assign({ secVer: 0, pop: '', username: 'wifiprov', patch: 1 }, options)
  const device = { requests: [], session: false, received: null, statusPolls: 0 }
  let security = null
  const plain = { encrypt: b => b, decrypt: b => b }
  const send = (res, bytes) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.end(Buffer.from(bytes))
  }
  const reply = (res, type, message) => send(res, (security || plain).encrypt(Buffer.from(type.encode(type.create(message)).finish())))
  Object.assign(device, await listen((req, body, res) => {
    device.requests.push({ path: req.url, contentType: req.headers['content-type'] })
    if (req.url === '/proto-ver') {
      res.writeHead(200, { 'content-type': 'application/json' })
      const cap = o.secVer === 0 ? ['wifi_scan', 'no_pop', 'no_sec'] : o.pop ? ['wifi_scan'] : ['wifi_scan', 'no_pop']
      return res.end(JSON.stringify({ prov: { ver: 'v1.1', sec_ver: o.secVer, sec_patch_ver: o.secVer === 2 ? o.patch : 0, cap } }))
    }
    if (req.url === '/prov-session') {
      const msg = SessionData.decode(body)
      if (msg.secVer !== o.secVer) { res.writeHead(500); return res.end() }
      if (o.secVer === 0) {
        if (!msg.sec0 || !msg.sec0.sc) { res.writeHead(400); return res.end('bad session') }
        device.session = true
        return reply(res, SessionData, { secVer: 0, sec0: { msg: 1, sr: { status: 0 } } })
      }
      const payload = o.secVer === 1 ? msg.sec1 : msg.sec2
      try {
        if (payload.sc0) device.handshake = o.secVer === 1 ? security1Device(o.pop) : security2Device(o.username, o.pop, o.patch)
        const answer = device.handshake.step(payload)
        if (payload.sc1) { security = device.handshake; device.session = true }
        return send(res, SessionData.encode(SessionData.create({ secVer: o.secVer, [o.secVer === 1 ? 'sec1' : 'sec2']: answer })).finish())
      } catch (e) {
        device.refused = e.message
        res.writeHead(500)
        return res.end()
      }
    }
    if (req.url === '/prov-config') {
      if (!device.session) { res.writeHead(400); return res.end('no session') }
      const msg = WiFiConfigPayload.decode((security || plain).decrypt(body))
      if (msg.msg === 2) {
        device.received = { ssid: Buffer.from(msg.cmdSetConfig.ssid).toString(), password: Buffer.from(msg.cmdSetConfig.passphrase).toString() }
        return reply(res, WiFiConfigPayload, { msg: 3, respSetConfig: { status: 0 } })
      }
      if (msg.msg === 4) return reply(res, WiFiConfigPayload, { msg: 5, respApplyConfig: { status: device.received ? 0 : 5 } })
      if (msg.msg === 0) {
        device.statusPolls++
        if (device.statusPolls === 1) return reply(res, WiFiConfigPayload, { msg: 1, respGetStatus: { status: 0, staState: 1 } })
        const r = device.received
        if (r.ssid !== HOME.ssid) return reply(res, WiFiConfigPayload, { msg: 1, respGetStatus: { status: 0, staState: 3, failReason: 1 } })
        if (r.password !== HOME.password) return reply(res, WiFiConfigPayload, { msg: 1, respGetStatus: { status: 0, staState: 3, failReason: 0 } })
        return reply(res, WiFiConfigPayload, { msg: 1, respGetStatus: { status: 0, staState: 0, connected: { ip4Addr: '192.168.1.57', ssid: Buffer.from(r.ssid), channel: 6 } } })
      }
    }
    res.writeHead(404)
    res.end()
  }))
  return device
}

async function shellyDevice () {
  const device = { calls: [] }
  Object.assign(device, await listen((req, body, res) => {
    const json = v => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)) }
    if (req.url === '/shelly') return json({ name: null, id: 'shellyplus1-a8032ab12345', mac: 'A8032AB12345', model: 'SNSW-001X16EU', gen: 2, fw_id: '20230913-112003/1.0.3', ver: '1.0.3', auth_en: false })
    if (req.url === '/rpc' && req.method === 'POST') {
      const call = JSON.parse(body.toString())
      device.calls.push(call)
      const sta = call.params && call.params.config && call.params.config.sta
      if (call.method !== 'WiFi.SetConfig' || !sta || !sta.ssid) return json({ id: call.id, src: 'shellyplus1-a8032ab12345', error: { code: -103, message: 'Invalid argument: ssid required' } })
      return json({ id: call.id, src: 'shellyplus1-a8032ab12345', result: { restart_required: false } })
    }
    res.writeHead(404)
    res.end()
  }))
  return device
}

async function tasmotaDevice () {
  const device = { saved: null }
  Object.assign(device, await listen((req, body, res) => {
    const url = new URL(req.url, 'http://x')
    res.writeHead(200, { 'content-type': 'text/html' })
    if (url.pathname === '/') return res.end('<!DOCTYPE html><html><head><title>Tasmota</title></head><body><h2>Wifi parameters</h2></body></html>')
    if (url.pathname === '/wi' && url.searchParams.has('save')) {
      device.saved = { ssid: url.searchParams.get('s1'), password: url.searchParams.get('p1') }
      return res.end('<html><body>Configuration saved. Restarting</body></html>')
    }
    res.end('')
  }))
  return device
}

async function plainWebServer () {
  return listen((req, body, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>my router</html>') })
}

module.exports = { espDevice, shellyDevice, tasmotaDevice, plainWebServer, HOME }
