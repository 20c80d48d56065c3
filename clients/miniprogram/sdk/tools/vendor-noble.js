'use strict'
// Writes lib/secure/noble.js: the parts of @noble/curves, @noble/hashes and @noble/ciphers the
// security layer uses, as one CommonJS file. A file of our own, not a dependency, because WeChat's
// "build npm" takes a package's `main` only (these packages are ES modules reached by subpaths),
// and the SDK's package.json keeps no dependencies. The versions are clients/package.json's;
// a test rebuilds the file and fails when it differs.
//   node clients/miniprogram/sdk/tools/vendor-noble.js [--check]
const path = require('node:path')
const fs = require('node:fs')
const esbuild = require(require.resolve('esbuild', { paths: [path.join(__dirname, '../../..')] }))

const OUT = path.join(__dirname, '../lib/secure/noble.js')

function versions () {
  const of = name => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../node_modules', name, 'package.json'), 'utf8')).version
  return ['@noble/curves', '@noble/hashes', '@noble/ciphers'].map(n => n + ' ' + of(n)).join(', ')
}

function build () {
  const result = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'noble-entry.mjs')],
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2020', // BigInt, which WeChat's JavaScript engines have
    minify: true,
    legalComments: 'none',
    nodePaths: [path.join(__dirname, '../../../node_modules')],
    write: false
  })
  const header = '// Vendored from ' + versions() + ' (MIT, (c) Paul Miller, paulmillr.com) by\n' +
    '// tools/vendor-noble.js: x25519, sha256, sha512, ctr, gcm. Do not edit; rebuild.\n'
  return header + result.outputFiles[0].text
}

if (require.main === module) {
  const text = build()
  if (process.argv.includes('--check')) {
    process.exit(fs.existsSync(OUT) && fs.readFileSync(OUT, 'utf8') === text ? 0 : 1)
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true })
  fs.writeFileSync(OUT, text)
  console.log(OUT + ': ' + text.length + ' bytes')
}

module.exports = { build, OUT }
