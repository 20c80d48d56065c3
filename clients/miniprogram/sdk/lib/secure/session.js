'use strict'
// ESP-IDF provisioning's session security, the installer's side (PROTOCOLS.md §7.2 in the
// project's words: "Security 1", "Security 2"). Loaded by provisioning only when a device asks
// for security 1 or 2, so the SDK's everyday path does not carry the cryptography.
//   Security 1: X25519, key = shared secret XOR SHA-256(PoP), AES-256-CTR with the device's random
//     as IV and one keystream for both directions for the whole session.
//   Security 2: SRP-6a (3072-bit group, SHA-512; username + PoP as password), AES-256-GCM with the
//     first 32 bytes of K and the device's nonce; with sec_patch_ver 1 the nonce's last 4 bytes
//     count every encrypt and decrypt, big-endian.
// Randomness comes from the caller (wx.getRandomValues): WeChat has no WebCrypto.
const { x25519, sha256, sha512, ctr, gcm } = require('./noble.js')
const pb = require('../protobuf.js')
const { encodeUtf8 } = require('../utf8.js')
const { srp6a, GROUP_3072, toBig, toBytes } = require('./srp.js')

const STATUS = ['success', 'invalid security scheme', 'invalid protocol', 'too many sessions', 'invalid argument', 'internal error', 'crypto error', 'invalid session']

/** A failure of the handshake; `pop` is true when it means the proof of possession is wrong. */
function fail (message, pop) {
  const e = new Error(message)
  e.pop = !!pop
  return e
}

function same (a, b) {
  if (!a || !b || a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i]
  return d === 0
}

/** SessionData{sec_ver, secN: {msg, <field>: body}} → the response body of `field`, its status checked. */
async function step (send, version, msg, cmdField, body, respField, stepName, popAtStake) {
  let reply
  try {
    reply = pb.decode(await send(pb.encode([[2, version], [10 + version, [[1, msg], [cmdField, body]]]])))
  } catch (e) {
    throw fail(popAtStake ? 'the device refused the proof of possession (PoP)' : 'the device refused the setup session at ' + stepName + ' (' + e.message + ')', popAtStake)
  }
  const payload = pb.decode(pb.first(reply, 10 + version, new Uint8Array(0)))
  const resp = pb.decode(pb.first(payload, respField, new Uint8Array(0)))
  const status = pb.first(resp, 1)
  if (status !== 0) {
    throw fail('the device refused the setup session at ' + stepName + ' (' + (STATUS[status] || 'status ' + status) + ')', popAtStake)
  }
  return resp
}

/** AES-CTR as one running keystream: each call continues where the last (either direction) ended. */
function ctrStream (key, iv) {
  const start = toBig(iv)
  let offset = 0
  return data => {
    const skip = offset % 16
    const counter = toBytes((start + BigInt(Math.floor(offset / 16))) % (1n << 128n), 16)
    const input = new Uint8Array(skip + data.length)
    input.set(data, skip)
    offset += data.length
    return ctr(key, counter).encrypt(input).subarray(skip)
  }
}

async function security1 (send, pop, random) {
  const secret = await random(32)
  const mine = x25519.getPublicKey(secret)
  const r0 = await step(send, 1, 0, 20, [[1, mine]], 21, 'step 1', false)
  const theirs = pb.first(r0, 2, null)
  const iv = pb.first(r0, 3, null)
  if (!theirs || theirs.length !== 32 || !iv || iv.length !== 16) throw fail('the device\'s security 1 answer holds no 32-byte key and 16-byte random')
  let key
  try { key = x25519.getSharedSecret(secret, theirs) } catch (e) { throw fail('the device\'s public key is not usable (' + e.message + ')') }
  if (pop) {
    const digest = sha256(encodeUtf8(pop))
    for (let i = 0; i < 32; i++) key[i] ^= digest[i]
  }
  const stream = ctrStream(key, iv)
  const r1 = await step(send, 1, 2, 22, [[2, stream(theirs)]], 23, 'step 2', true)
  if (!same(stream(pb.first(r1, 3, new Uint8Array(0))), mine)) throw fail('the device\'s proof does not match: the proof of possession (PoP) is wrong', true)
  return { encrypt: stream, decrypt: stream }
}

/** AES-256-GCM with the 16-byte tag appended; with patch ≥ 1 the nonce counts every message. */
function gcmSession (key, nonce, patch) {
  const n = nonce.slice()
  const advance = () => {
    if (patch < 1) return
    const view = new DataView(n.buffer, n.byteOffset, 12)
    const count = view.getUint32(8)
    if (count === 0xffffffff) throw fail('the session\'s message counter ran out; start again')
    view.setUint32(8, count + 1)
  }
  return {
    encrypt (data) { const out = gcm(key, n).encrypt(data); advance(); return out },
    decrypt (data) {
      let out
      try { out = gcm(key, n).decrypt(data) } catch (e) { throw fail('an encrypted answer from the device failed its integrity check') }
      advance()
      return out
    }
  }
}

async function security2 (send, patch, username, password, random) {
  if (!password) throw fail('this device needs its proof of possession (PoP) for security 2', true)
  const srp = srp6a(GROUP_3072, sha512)
  const a = toBig(await random(32)) | (1n << 255n)
  const A = srp.clientPublic(a)
  const r0 = await step(send, 2, 0, 20, [[1, encodeUtf8(username)], [2, toBytes(A)]], 21, 'step 1', false)
  const Bbytes = pb.first(r0, 2, null)
  const salt = pb.first(r0, 3, null)
  if (!Bbytes || !Bbytes.length || !salt || !salt.length) throw fail('the device\'s security 2 answer holds no public key and salt')
  const B = toBig(Bbytes)
  const u = srp.u(A, B)
  if (srp.isZeroModN(B) || u === 0n) throw fail('the device\'s public key is not usable')
  const K = srp.sessionKey(srp.clientSecret(B, srp.x(salt, username, password), a, u))
  const M1 = srp.clientProof(username, salt, A, B, K)
  const r1 = await step(send, 2, 2, 22, [[1, M1]], 23, 'step 2', true)
  const nonce = pb.first(r1, 3, null)
  if (!same(pb.first(r1, 2, null), srp.deviceProof(A, M1, K))) throw fail('the device\'s proof does not match: the proof of possession (PoP) is wrong', true)
  if (!nonce || nonce.length !== 12) throw fail('the device\'s security 2 answer holds no 12-byte nonce')
  return gcmSession(K.slice(0, 32), nonce, patch)
}

/**
 * Runs the handshake over `send` (bytes → Promise of the answer's bytes, HTTP errors rejected) and
 * resolves with { encrypt, decrypt } for the endpoints that follow.
 * options: { pop, username (security 2, default 'wifiprov'), patch (sec_patch_ver), random(n) → Promise<Uint8Array> }
 */
function handshake (security, send, options) {
  if (security === 1) return security1(send, options.pop || '', options.random)
  if (security === 2) return security2(send, options.patch || 0, options.username || 'wifiprov', options.pop || '', options.random)
  return Promise.reject(fail('security ' + security + ' is not one ESP-IDF defines'))
}

module.exports = { handshake, ctrStream, gcmSession }
