'use strict'
// The real bridge and the real relay as separate processes, as a user runs them: the built
// Bridge.Service and Bridge.Relay of `dotnet build -c Release` (./test.sh builds them first),
// read through their stdout like Bridge.Tests/Infrastructure/BridgeProcess.cs does.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '../../../..')

function dll (project) {
  const file = path.join(ROOT, project, 'bin', 'Release', 'net10.0', project + '.dll')
  if (!fs.existsSync(file)) throw new Error(file + ' is missing: build first (dotnet build ' + project + ' -c Release)')
  return file
}

class Process {
  constructor (args) {
    this.lines = []
    this.waiters = []
    this.child = spawn('dotnet', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let rest = ''
    const take = chunk => {
      rest += chunk.toString('utf8')
      const parts = rest.split('\n')
      rest = parts.pop()
      for (const line of parts) this._line(line.replace(/\r$/, ''))
    }
    this.child.stdout.on('data', take)
    this.child.stderr.on('data', take)
    this.exited = new Promise(resolve => this.child.on('exit', code => { this.exitCode = code; resolve(code) }))
  }

  _line (line) {
    this.lines.push(line)
    for (const w of [...this.waiters]) {
      const m = w.re.exec(line)
      if (m) { this.waiters.splice(this.waiters.indexOf(w), 1); clearTimeout(w.timer); w.resolve(m) }
    }
  }

  get output () { return this.lines.join('\n') }

  /** The first line from now on (or already printed, when `seen` is true) that matches. */
  waitFor (re, timeoutMs, seen) {
    if (seen) for (const line of this.lines) { const m = re.exec(line); if (m) return Promise.resolve(m) }
    return new Promise((resolve, reject) => {
      const w = { re, resolve }
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1)
        reject(new Error('no line matching ' + re + ' within ' + timeoutMs + ' ms; output:\n' + this.output))
      }, timeoutMs)
      this.waiters.push(w)
    })
  }

  count (re) { return this.lines.filter(l => re.test(l)).length }

  async stop () {
    if (this.exitCode === undefined) {
      this.child.kill('SIGKILL')
      await this.exited
    }
  }
}

/** `--demo` on free ports, its own Data:Dir, the beacon on a free UDP port; resolves once ready. */
async function startBridge (extraArgs) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-bridge-'))
  const p = new Process([dll('Bridge.Service'), '--demo', '--Api:Port=0', '--Mqtt:Port=0', '--Data:Dir=' + dataDir,
    '--Discovery:BeaconPort=0'].concat(extraArgs || []))
  const bridge = {
    process: p,
    dataDir,
    get output () { return p.output },
    /** The newest pairing code the bridge printed (a used or replaced one is printed anew). */
    pairingCode () {
      const codes = p.lines.map(l => /^Pairing code: (\d{6})$/.exec(l)).filter(Boolean)
      return codes.length ? codes[codes.length - 1][1] : null
    },
    async stop () {
      await p.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
  try {
    bridge.api = (await p.waitFor(/^Local API: (ws:\/\/127\.0\.0\.1:(\d+)\/api\/v1\/ws)$/, 90000, true))
    bridge.port = Number(bridge.api[2])
    bridge.api = bridge.api[1]
    bridge.token = (await p.waitFor(/^Access token: (\S+)$/, 10000, true))[1]
    bridge.id = (await p.waitFor(/^Bridge id: (\S+)$/, 10000, true))[1]
    bridge.beaconPort = Number((await p.waitFor(/Beacon on UDP (\d+)/, 10000, true))[1])
    await p.waitFor(/^Pairing code: \d{6}$/, 10000, true)
  } catch (e) {
    await bridge.stop()
    throw e
  }
  return bridge
}

async function startRelay () {
  const p = new Process([dll('Bridge.Relay'), '--Relay:Port=0'])
  try {
    const url = (await p.waitFor(/^Relay: (ws:\/\/127\.0\.0\.1:\d+)$/, 60000, true))[1]
    return { process: p, url, stop: () => p.stop() }
  } catch (e) {
    await p.stop()
    throw e
  }
}

/** One device in access-point mode played by the C# simulator (`Bridge.Simulator softap`), its
 * secrets in files as the simulator takes them; resolves with its address once it prints its ready
 * line. `join` waits for the line it prints when it has joined the network it was given. */
async function startSimulatedSoftAp ({ kind, security, patch, pop, ssid, password }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-softap-'))
  const args = [dll('Bridge.Simulator'), 'softap', '--kind', kind, '--ssid', ssid]
  if (security !== undefined) args.push('--security', String(security))
  if (patch !== undefined) args.push('--patch', String(patch))
  if (pop) { fs.writeFileSync(path.join(dir, 'pop'), pop, { mode: 0o600 }); args.push('--pop-file', path.join(dir, 'pop')) }
  if (password) { fs.writeFileSync(path.join(dir, 'password'), password, { mode: 0o600 }); args.push('--password-file', path.join(dir, 'password')) }
  const p = new Process(args)
  const ready = await p.waitFor(/^SoftAP: \S+ at http:\/\/(127\.0\.0\.1:\d+)$/, 60000)
  return {
    address: ready[1],
    get output () { return p.output },
    joined: timeoutMs => p.waitFor(/^SoftAP: joined (.+)$/, timeoutMs, true),
    async close () { await p.stop(); fs.rmSync(dir, { recursive: true, force: true }) }
  }
}

module.exports = { startBridge, startRelay, startSimulatedSoftAp, ROOT }
