'use strict'
// The protocol core's own cost per `set`, without sockets: the core against a transport that
// answers in-process (a reply and a state event per set, as the bridge sends), next to the bare
// minimum (JSON both ways and a promise). With and without the heartbeat.
//
//   node clients/miniprogram/bench/core-bench.js [N]
const { Core } = require('../sdk/lib/core.js')

const N = Number(process.argv[2]) || 20000
const STATE = { power: 'on', brightness: 40, color_temp: 2703 }

async function run (heartbeatMs) {
  const core = new Core({ heartbeatMs })
  const t = {
    send (text) {
      const f = JSON.parse(text)
      setImmediate(() => {
        t.onMessage(JSON.stringify({ id: f.id, ok: true, state: STATE }))
        t.onMessage(JSON.stringify({ event: 'state', device: 'lamp-1', state: STATE }))
      })
    },
    close () {}
  }
  await core.attach(t)
  const bare = {
    send (text) {
      const f = JSON.parse(text)
      setImmediate(() => {
        bare.done(JSON.parse(JSON.stringify({ id: f.id, ok: true, state: STATE })))
        JSON.parse(JSON.stringify({ event: 'state', device: 'lamp-1', state: STATE }))
      })
    }
  }
  let start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) await core.set('lamp-1', { power: 'on' })
  const sdk = Number(process.hrtime.bigint() - start) / N / 1000
  start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    await new Promise(resolve => { bare.done = resolve; bare.send(JSON.stringify({ id: String(i), op: 'set', device: 'lamp-1', state: { power: 'on' } })) })
  }
  const raw = Number(process.hrtime.bigint() - start) / N / 1000
  console.log(`heartbeat ${heartbeatMs ? 'on' : 'off'}: core ${sdk.toFixed(1)} µs per set, bare ${raw.toFixed(1)} µs, the core's own ${(sdk - raw).toFixed(1)} µs (n=${N})`)
  core.close()
}

run(20000).then(() => run(0))
