// How a mini-program uses the SDK, type-checked against miniprogram-api-typings (tsc --noEmit).
// Each @ts-expect-error line must stay an error: tsc fails if a mistake stops being caught.
import { createClient, BridgeError, Device, DeviceState, Path } from '../../sdk/index'
import { Core, Transport } from '../../sdk/lib/core'

const client = createClient({ wx, relay: 'wss://relay.example.com', storageKey: 'devicebridge', timeoutMs: 10000 })

async function main (): Promise<void> {
  const paired: { bridge: string } = await client.pair({ code: '123456', name: 'My phone' })
  const path: Path = await client.connect()
  const now: Path | null = client.path
  const devices: Device[] = await client.devices()
  const lamp: Device = await client.get('lamp-1')
  const state: DeviceState = await client.set('lamp-1', { power: 'on', brightness: 80 })
  const reply = await client.request('scene_run', { scene: 'leave-home' })
  const ok: true = reply.ok
  client.on('state', e => { const s: DeviceState = e.state; const id: string = e.device; void s; void id })
  client.on('online', e => { const online: boolean = e.online; void online })
  client.on('device_added', e => { const d: Device = e.device; void d })
  client.on('timer_ran', e => {
    const timer: string = e.timer
    for (const r of e.results) {
      if (r.ok) { const s: DeviceState = r.state; void s } else { const code: string = r.error.code; void code }
      // @ts-expect-error a failed action has no state, so it must be told apart first
      void r.state
    }
    void timer
  })
  client.on('path', p => { const q: Path | null = p; void q })
  client.on('warning', w => { const code: string = w.code; void code })
  const result = await client.provisionSoftAp({ address: '192.168.4.1', ssid: 'Home', password: 'secret', pop: 'abcd1234' })
  const kind: 'esp-idf' | 'shelly' | 'tasmota' = result.kind
  try {
    await client.set('lamp-1', { brightness: 150 })
  } catch (e) {
    if (e instanceof Error && (e as BridgeError).code === 'invalid_value') console.log(e.message)
  }
  void paired; void path; void now; void devices; void lamp; void state; void ok; void kind
  client.close()

  // @ts-expect-error a state is an object of capabilities, not a number
  await client.set('lamp-1', 5)
  // @ts-expect-error wx is required
  createClient({ relay: 'wss://relay.example.com' })
  // @ts-expect-error the path is a string or null
  const wrong: number = client.path
  void wrong
}

// The core on a transport of one's own (what the web console does in a browser).
const transport: Transport = { send (text: string) { void text }, close () {} }
const core = new Core({ timeoutMs: 5000, heartbeatMs: 0 })
core.attach(transport).then(() => core.set('ac-1', { target_temperature: 24 }))
void main
