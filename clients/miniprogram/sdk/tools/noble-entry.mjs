// What the SDK's security layer takes from the @noble packages (Paul Miller, MIT; audited): X25519
// (noble's Montgomery ladder with RFC 7748's curve25519 parameters, without the Edwards-curve
// shortcut for the base point that would pull in all of ed25519), SHA-256/512, AES-CTR, AES-GCM.
// tools/vendor-noble.js bundles this into lib/secure/noble.js.
import { montgomery } from '@noble/curves/abstract/montgomery.js'
import { pow } from '@noble/curves/abstract/modular.js'
export { sha256, sha512 } from '@noble/hashes/sha2.js'
export { ctr, gcm } from '@noble/ciphers/aes.js'

const P = 2n ** 255n - 19n
export const x25519 = montgomery({
  P,
  type: 'x25519',
  powPminus2: x => pow(x, P - 2n, P),
  // RFC 7748 §5: clear the three low bits and the top bit, set bit 254.
  adjustScalarBytes: bytes => { bytes[0] &= 248; bytes[31] &= 127; bytes[31] |= 64; return bytes }
})
