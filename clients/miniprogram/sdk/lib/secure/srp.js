'use strict'
// SRP-6a (RFC 5054) with the group and the hash as parameters, in the variant ESP-IDF's
// provisioning security 2 uses (PROTOCOLS.md §7.2 in the project's words: "Security 2"):
//   x = H(s | H(I ":" p))   k = H(N | pad(g))   u = H(pad(A) | pad(B))   K = H(S)
//   M1 = H(H(N) xor H(pad(g)) | H(I) | s | A | B | K)   M2 = H(A | M1 | K)
// Numbers are unsigned big-endian, minimal length (so s and the inner digest lose leading zero
// bytes, as ESP-IDF's own tool, which made the verifiers devices store, writes them) unless padded
// to the length of N. BigInt arithmetic; no Node built-ins.
const { encodeUtf8 } = require('../utf8.js')

/** RFC 5054 Appendix A's 3072-bit group, g = 5: the one ESP-IDF security 2 uses. */
const GROUP_3072 = {
  N: BigInt('0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A' +
    '431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F2411' +
    '7C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED5' +
    '29077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9' +
    'DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DB' +
    'EF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D876027' +
    '33EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFF' +
    'FFFFFFFFFFFFF'),
  g: 5n
}

function toBig (bytes) {
  let n = 0n
  for (let i = 0; i < bytes.length; i++) n = (n << 8n) | BigInt(bytes[i])
  return n
}

/** Unsigned big-endian: minimal (zero is one 0 byte), or left-padded to `length`. */
function toBytes (n, length) {
  let hex = n.toString(16)
  if (hex.length % 2) hex = '0' + hex
  const size = Math.max(length || 0, hex.length / 2)
  const out = new Uint8Array(size)
  for (let i = 0, o = size - hex.length / 2; i < hex.length; i += 2, o++) out[o] = parseInt(hex.substr(i, 2), 16)
  return out
}

function concat (parts) {
  let size = 0
  for (const p of parts) size += p.length
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

function modPow (base, exp, mod) {
  let result = 1n
  base %= mod
  while (exp > 0n) {
    if (exp & 1n) result = result * base % mod
    exp >>= 1n
    base = base * base % mod
  }
  return result
}

/** The SRP functions over `group` ({N, g}) and `hash` (bytes → bytes). */
function srp6a (group, hash) {
  const { N, g } = group
  const length = toBytes(N).length
  const H = (...parts) => hash(concat(parts))
  const pad = n => toBytes(n, length)
  const k = toBig(H(toBytes(N), pad(g)))
  const x = (salt, username, password) => toBig(H(toBytes(toBig(salt)), toBytes(toBig(H(encodeUtf8(username + ':' + password))))))
  return {
    k,
    x,
    verifier: (salt, username, password) => modPow(g, x(salt, username, password), N),
    /** A = g^a mod N. */
    clientPublic: a => modPow(g, a, N),
    /** B = (k·v + g^b) mod N (the device's side: tests). */
    devicePublic: (b, v) => (k * v + modPow(g, b, N)) % N,
    u: (A, B) => toBig(H(pad(A), pad(B))),
    /** S = (B − k·g^x)^(a + u·x) mod N. */
    clientSecret: (B, xv, a, u) => modPow(((B - k * modPow(g, xv, N)) % N + N) % N, a + u * xv, N),
    /** S = (A·v^u)^b mod N (the device's side: tests). */
    deviceSecret: (A, v, u, b) => modPow(A * modPow(v, u, N) % N, b, N),
    /** K = H(S), the whole digest. */
    sessionKey: S => H(toBytes(S)),
    clientProof (username, salt, A, B, K) {
      const hn = H(toBytes(N))
      const hg = H(pad(g))
      for (let i = 0; i < hn.length; i++) hn[i] ^= hg[i]
      return H(hn, H(encodeUtf8(username)), toBytes(toBig(salt)), toBytes(A), toBytes(B), K)
    },
    deviceProof: (A, M1, K) => H(toBytes(A), M1, K),
    /** N's divisibility check a client must make on B (RFC 5054 §2.5.3). */
    isZeroModN: n => n % N === 0n
  }
}

module.exports = { srp6a, GROUP_3072, toBig, toBytes, concat, modPow }
