'use strict'
// UTF-8 by hand: mini-programs have no TextDecoder/TextEncoder on every base library.

/** Bytes (ArrayBuffer or Uint8Array) to a string; malformed sequences become U+FFFD. */
function decodeUtf8 (input) {
  const b = input instanceof Uint8Array ? input : new Uint8Array(input)
  let out = ''
  for (let i = 0; i < b.length;) {
    const c = b[i++]
    let cp = 0xfffd
    let need = 0
    if (c < 0x80) cp = c
    else if (c >= 0xc2 && c < 0xe0) { cp = c & 0x1f; need = 1 } else if (c >= 0xe0 && c < 0xf0) { cp = c & 0x0f; need = 2 } else if (c >= 0xf0 && c < 0xf5) { cp = c & 0x07; need = 3 }
    for (let k = 0; k < need; k++, i++) {
      if (i >= b.length || (b[i] & 0xc0) !== 0x80) { cp = 0xfffd; need = 0; break }
      cp = (cp << 6) | (b[i] & 0x3f)
    }
    if ((need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff))) cp = 0xfffd
    out += String.fromCodePoint(cp)
  }
  return out
}

/** A string to UTF-8 bytes. */
function encodeUtf8 (text) {
  const out = []
  for (const ch of String(text)) {
    const cp = ch.codePointAt(0)
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63))
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63))
  }
  return new Uint8Array(out)
}

module.exports = { decodeUtf8, encodeUtf8 }
