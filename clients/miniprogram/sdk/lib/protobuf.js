'use strict'
const { encodeUtf8 } = require('./utf8.js')
// The little of protobuf that ESP-IDF provisioning needs (PROTOCOLS.md §7): varints and
// length-delimited fields, written from a list and read into a map of field number → values.

/** [[field, value], ...] → bytes; a value is a number (varint), bytes, a string, or a nested list. */
function encode (fields) {
  const out = []
  const varint = n => {
    while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128) }
    out.push(n)
  }
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      varint(field * 8)
      varint(value)
      continue
    }
    const bytes = Array.isArray(value) ? encode(value) : typeof value === 'string' ? encodeUtf8(value) : value
    varint(field * 8 + 2)
    varint(bytes.length)
    for (let i = 0; i < bytes.length; i++) out.push(bytes[i])
  }
  return new Uint8Array(out)
}

/** bytes → { field: [number | Uint8Array, ...] }; throws on truncated or unsupported input. */
function decode (input) {
  const b = input instanceof Uint8Array ? input : new Uint8Array(input)
  const fields = {}
  let i = 0
  const varint = () => {
    let n = 0
    let scale = 1
    for (;;) {
      if (i >= b.length || scale > 2 ** 49) throw new Error('truncated protobuf')
      const c = b[i++]
      n += (c & 127) * scale
      if (c < 128) return n
      scale *= 128
    }
  }
  while (i < b.length) {
    const key = varint()
    const type = key % 8
    let value
    if (type === 0) value = varint()
    else if (type === 2) {
      const len = varint()
      if (i + len > b.length) throw new Error('truncated protobuf')
      value = b.subarray(i, i + len)
      i += len
    } else throw new Error('unsupported protobuf wire type ' + type)
    ;(fields[Math.floor(key / 8)] = fields[Math.floor(key / 8)] || []).push(value)
  }
  return fields
}

/** The first value of a field: a number (0 when absent, as proto3 omits defaults), or bytes. */
function first (fields, n, fallback) {
  return fields[n] ? fields[n][0] : fallback === undefined ? 0 : fallback
}

module.exports = { encode, decode, first }
