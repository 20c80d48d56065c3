'use strict'
// The package as a mini-program developer gets it: typings that check against WeChat's own
// (miniprogram-api-typings), no Node built-ins, and small once minified.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { minify } = require('terser')

const SDK = path.join(__dirname, '../sdk')
const CLIENTS = path.join(__dirname, '../..')
const shipped = () => ['index.js'].concat(fs.readdirSync(path.join(SDK, 'lib')).filter(f => f.endsWith('.js')).map(f => 'lib/' + f))
// ESP-IDF provisioning and its security (X25519, SRP-6a, AES): loaded only when an ESP device answers.
const secure = () => fs.readdirSync(path.join(SDK, 'lib', 'secure')).filter(f => f.endsWith('.js')).map(f => 'lib/secure/' + f)

async function minifiedSize (files) {
  let total = 0
  for (const file of files) {
    const out = await minify(fs.readFileSync(path.join(SDK, file), 'utf8'), { compress: true, mangle: true })
    total += Buffer.byteLength(out.code)
  }
  return total
}

test('index.d.ts and core.d.ts type-check against miniprogram-api-typings (tsc --noEmit), and mistakes are caught', () => {
  const tsc = path.join(CLIENTS, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types', 'tsconfig.json')], { encoding: 'utf8' })
  } catch (e) {
    assert.fail('tsc reported:\n' + e.stdout + e.stderr)
  }
})

test('the SDK requires only its own files: no Node built-ins, nothing outside the package', () => {
  for (const file of shipped().concat(secure())) {
    const source = fs.readFileSync(path.join(SDK, file), 'utf8')
    const required = [...source.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(m => m[1])
    for (const r of required) assert.match(r, /^\.\.?\//, file + ' requires ' + r)
    for (const r of required) assert.ok(fs.existsSync(path.join(SDK, path.dirname(file), r.endsWith('.js') ? r : r + '.js')), file + ': ' + r)
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(SDK, 'package.json'), 'utf8'))
  assert.equal(pkg.name, 'devicebridge-miniprogram')
  assert.equal(pkg.main, 'index.js')
  assert.equal(pkg.dependencies, undefined, 'nothing for "build npm" to bundle besides the SDK')
})

test('minified, the SDK stays under 30 KB; the security layer only provisioning loads is counted apart', async () => {
  const total = await minifiedSize(shipped())
  console.log('devicebridge-miniprogram minified: ' + total + ' bytes (' + (total / 1024).toFixed(1) + ' KB) in ' + shipped().length + ' files')
  assert.ok(total < 30 * 1024, total + ' bytes')
  const layer = await minifiedSize(secure())
  console.log('lib/secure (ESP-IDF provisioning, security 0/1/2) minified: ' + layer + ' bytes (' + (layer / 1024).toFixed(1) + ' KB) in ' + secure().length + ' files')
  assert.ok(layer < 40 * 1024, layer + ' bytes')
  // Nothing on the everyday path requires it: only provision.js, from inside the function that needs it.
  for (const file of shipped()) {
    const source = fs.readFileSync(path.join(SDK, file), 'utf8')
    const lines = source.split('\n').filter(l => l.includes("require('./secure/"))
    if (file !== 'lib/provision.js') assert.equal(lines.length, 0, file + ' loads the ESP-IDF layer')
    else assert.ok(lines.length === 1 && /^\s{2,}/.test(lines[0]), 'provision.js loads it where an ESP device answered, not at the top')
  }
})
