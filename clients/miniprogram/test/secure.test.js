'use strict'
// The SDK's provisioning security layer (sdk/lib/secure) checked against published vectors and
// against Node's own crypto (OpenSSL), which nobody here wrote: SRP-6a with RFC 5054 Appendix B's
// vectors (SHA-1, 1024-bit group) and ESP-IDF's variant (SHA-512, 3072-bit group) against values
// computed with Python's hashlib; X25519 with RFC 7748 §6.1's vectors and OpenSSL's X25519; the
// running AES-CTR keystream and the counting AES-GCM nonce against OpenSSL's AES.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const { srp6a, GROUP_3072, toBig, toBytes } = require('../sdk/lib/secure/srp.js')
const { ctrStream, gcmSession } = require('../sdk/lib/secure/session.js')
const noble = require('../sdk/lib/secure/noble.js')

const hex = s => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const big = s => toBig(hex(s))
const hashOf = name => bytes => new Uint8Array(crypto.createHash(name).update(bytes).digest())
const toHex = b => Buffer.from(b).toString('hex')

const GROUP_1024 = {
  N: big('EEAF0AB9ADB38DD69C33F80AFA8FC5E86072618775FF3C0B9EA2314C9C256576D674DF7496EA81D3383B4813D692C6E0E0D5D8E250' +
    'B98BE48E495C1D6089DAD15DC7D7B46154D6B6CE8EF4AD69B15D4982559B297BCF1885C529F566660E57EC68EDBC3C05726CC02FD4C' +
    'BF4976EAA9AFD5138FE8376435B9FC61D2FC0EB06E3'),
  g: 2n
}
const SALT = hex('BEB25379D1A8581EB5A727673A2441EE')
const a = big('60975527035CF2AD1989806F0407210BC81EDC04E2762A56AFD529DDDA2D4393')
const b = big('E487CB59D31AC550471E81F00F6928E01DDA08E974A004F49E61F5D105284D20')

test('SRP-6a: RFC 5054 Appendix B vectors (SHA-1, 1024-bit group, as parameters)', () => {
  const srp = srp6a(GROUP_1024, hashOf('sha1'))
  assert.equal(srp.k, big('7556AA045AEF2CDD07ABAF0F665C3E818913186F'))
  const x = srp.x(SALT, 'alice', 'password123')
  assert.equal(x, big('94B7555AABE9127CC58CCF4993DB6CF84D16C124'))
  const v = srp.verifier(SALT, 'alice', 'password123')
  assert.equal(v, big('7E273DE8696FFC4F4E337D05B4B375BEB0DDE1569E8FA00A9886D8129BADA1F1822223CA1A605B530E379BA4729FDC59F105B4787E5186F5C671085A1447B52A48CF1970B4FB6F8400BBF4CEBFBB168152E08AB5EA53D15C1AFF87B2B9DA6E04E058AD51CC72BFC9033B564E26480D78E955A5E29E7AB245DB2BE315E2099AFB'))
  const A = srp.clientPublic(a)
  assert.equal(A, big('61D5E490F6F1B79547B0704C436F523DD0E560F0C64115BB72557EC44352E8903211C04692272D8B2D1A5358A2CF1B6E0BFCF99F921530EC8E39356179EAE45E42BA92AEACED825171E1E8B9AF6D9C03E1327F44BE087EF06530E69F66615261EEF54073CA11CF5858F0EDFDFE15EFEAB349EF5D76988A3672FAC47B0769447B'))
  const B = srp.devicePublic(b, v)
  assert.equal(B, big('BD0C61512C692C0CB6D041FA01BB152D4916A1E77AF46AE105393011BAF38964DC46A0670DD125B95A981652236F99D9B681CBF87837EC996C6DA04453728610D0C6DDB58B318885D7D82C7F8DEB75CE7BD4FBAA37089E6F9C6059F388838E7A00030B331EB76840910440B1B27AAEAEEB4012B7D7665238A8E3FB004B117B58'))
  const u = srp.u(A, B)
  assert.equal(u, big('CE38B9593487DA98554ED47D70A7AE5F462EF019'))
  const premaster = big('B0DC82BABCF30674AE450C0287745E7990A3381F63B387AAF271A10D233861E359B48220F7C4693C9AE12B0A6F67809F0876E2D013800D6C41BB59B6D5979B5C00A172B4A2A5903A0BDCAF8A709585EB2AFAFA8F3499B200210DCC1F10EB33943CD67FC88A2F39A4BE5BEC4EC0A3212DC346D7E474B29EDE8A469FFECA686E5A')
  assert.equal(srp.clientSecret(B, x, a, u), premaster)
  assert.equal(srp.deviceSecret(A, v, u, b), premaster)
})

test('SRP-6a: ESP-IDF\'s variant (SHA-512, 3072-bit group) matches an independent computation (Python hashlib)', () => {
  const srp = srp6a(GROUP_3072, noble.sha512)
  const salt = hex('0123456789abcdeffedcba9876543210')
  const v = srp.verifier(salt, 'wifiprov', 'abcd1234')
  const A = srp.clientPublic(a)
  const B = srp.devicePublic(b, v)
  const u = srp.u(A, B)
  const K = srp.sessionKey(srp.clientSecret(B, srp.x(salt, 'wifiprov', 'abcd1234'), a, u))
  assert.deepEqual(K, srp.sessionKey(srp.deviceSecret(A, v, u, b)))
  assert.equal(toHex(K), 'd24f3516edfc6d046cc34e1571517ff824f4ea1b94ecc031a6df02c965aaef9fc0ecc63ea29daedecf431f8ea19a6ddfba5900769f54fc012ac1e3bd7537a6ed')
  const M1 = srp.clientProof('wifiprov', salt, A, B, K)
  assert.equal(toHex(M1), '30b42a3eb2263eadd1b757c81dc91a4b8e4479e33ec6324afaa26332073da44a59a359420e9bf32dee7a7d1fe9150b8c7d3f2a4cd33ebe70b5ec064af3872de6')
  assert.equal(toHex(srp.deviceProof(A, M1, K)), '34379d2c48ac616307deeaef63688751c13494ab9686f521f225f513779cf1e950a44f03494dc6963f60b20e1133a2891352affd4693706bb5a716d98c350c4e')
  // A wrong password gives another secret.
  assert.notEqual(srp.clientSecret(B, srp.x(salt, 'wifiprov', 'abcd1235'), a, u), srp.deviceSecret(A, v, u, b))
})

test('SRP numbers: minimal and padded big-endian bytes', () => {
  assert.deepEqual(toBytes(0n), new Uint8Array([0]))
  assert.deepEqual(toBytes(0x1234n), new Uint8Array([0x12, 0x34]))
  assert.deepEqual(toBytes(0x1234n, 4), new Uint8Array([0, 0, 0x12, 0x34]))
  assert.equal(toBig(new Uint8Array([0, 0, 1, 0])), 256n)
})

test('X25519: RFC 7748 §6.1 vectors, and agreement with OpenSSL\'s X25519', () => {
  const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')
  const bob = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')
  assert.equal(toHex(noble.x25519.getPublicKey(alice)), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
  assert.equal(toHex(noble.x25519.getPublicKey(bob)), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')
  assert.equal(toHex(noble.x25519.getSharedSecret(alice, noble.x25519.getPublicKey(bob))), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
  for (let i = 0; i < 5; i++) {
    const theirs = crypto.generateKeyPairSync('x25519')
    const theirPublic = theirs.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
    const mine = crypto.randomBytes(32)
    const myPublic = crypto.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), Buffer.from(noble.x25519.getPublicKey(mine))]), format: 'der', type: 'spki' })
    const openssl = crypto.diffieHellman({ privateKey: theirs.privateKey, publicKey: myPublic })
    assert.equal(toHex(noble.x25519.getSharedSecret(mine, theirPublic)), openssl.toString('hex'))
  }
})

test('security 1\'s running AES-256-CTR keystream equals OpenSSL\'s over any split of the messages, also across the counter\'s wrap', () => {
  for (const ivHex of ['000102030405060708090a0b0c0d0e0f', 'fffffffffffffffffffffffffffffffe']) {
    const key = crypto.randomBytes(32)
    const iv = hex(ivHex)
    const openssl = crypto.createCipheriv('aes-256-ctr', key, iv)
    const stream = ctrStream(new Uint8Array(key), iv)
    for (const size of [32, 1, 15, 16, 17, 100, 3]) {
      const data = crypto.randomBytes(size)
      assert.equal(toHex(stream(new Uint8Array(data))), openssl.update(data).toString('hex'), ivHex + ' at ' + size)
    }
  }
})

test('security 2\'s AES-256-GCM: the nonce counts every message with sec_patch_ver 1 and stays with 0; a changed byte is refused', () => {
  const key = crypto.randomBytes(32)
  const nonce = hex('0102030405060708090a0bfe')
  for (const patch of [0, 1]) {
    const session = gcmSession(new Uint8Array(key), nonce, patch)
    for (let i = 0; i < 4; i++) {
      const expectedNonce = Buffer.from(nonce)
      if (patch) expectedNonce.writeUInt32BE(expectedNonce.readUInt32BE(8) + i, 8)
      const data = crypto.randomBytes(20 + i)
      const c = crypto.createCipheriv('aes-256-gcm', key, expectedNonce)
      const expected = Buffer.concat([c.update(data), c.final(), c.getAuthTag()])
      if (i % 2 === 0) assert.equal(toHex(session.encrypt(new Uint8Array(data))), expected.toString('hex'), 'patch ' + patch + ' message ' + i)
      else assert.equal(toHex(session.decrypt(new Uint8Array(expected))), data.toString('hex'), 'patch ' + patch + ' message ' + i)
    }
  }
  const session = gcmSession(new Uint8Array(key), nonce, 1)
  const sealed = session.encrypt(new Uint8Array([1, 2, 3]))
  const other = gcmSession(new Uint8Array(key), nonce, 1)
  sealed[0] ^= 1
  assert.throws(() => other.decrypt(sealed), /integrity/)
})

test('lib/secure/noble.js is exactly what tools/vendor-noble.js builds from the locked @noble packages', () => {
  const { build, OUT } = require('../sdk/tools/vendor-noble.js')
  assert.equal(fs.readFileSync(OUT, 'utf8'), build(), 'run node clients/miniprogram/sdk/tools/vendor-noble.js')
})
