// Typings of the DeviceBridge protocol core (lib/core.js), shared by the mini-program SDK and the
// web console. In a browser the same file defines `globalThis.DeviceBridgeCore`.

export type Path = 'lan' | 'relay'

/** A capability's description (docs/protocol.md, "Capabilities"). */
export interface Capability {
  type: 'enum' | 'int' | 'number' | 'bool' | string
  values?: string[]
  min?: number
  max?: number
  step?: number
  unit?: string
  read_only?: boolean
}

export type StateValue = string | number | boolean | null
export type DeviceState = Record<string, StateValue>

export interface Device {
  id: string
  name: string
  kind: 'light' | 'plug' | 'air_conditioner' | 'water_heater' | 'sensor' | string
  protocol: string
  online: boolean
  room?: string | null
  capabilities: Record<string, Capability>
  state: DeviceState
}

export interface StateEvent { event: 'state'; device: string; state: DeviceState }
export interface OnlineEvent { event: 'online'; device: string; online: boolean }
export interface DeviceAddedEvent { event: 'device_added'; device: Device }
export interface DeviceRemovedEvent { event: 'device_removed'; device: string }
export interface DeviceChangedEvent { event: 'device_changed'; device: Device }

/** One device's outcome in a scene or timer run (as `scene_run` replies): its confirmed state, or why not. */
export type ActionResult =
  | { device: string; ok: true; state: DeviceState }
  | { device: string; ok: false; error: { code: string; message: string } }
/** A timer fell due and ran (CONTRACT, "The household's own words"): `timer` is its id. */
export interface TimerRanEvent { event: 'timer_ran'; timer: string; results: ActionResult[] }

export interface ApiEvents {
  state: StateEvent
  online: OnlineEvent
  device_added: DeviceAddedEvent
  device_removed: DeviceRemovedEvent
  device_changed: DeviceChangedEvent
  timer_ran: TimerRanEvent
}

/** A reply as the API sends it: `ok`, the echoed `id`, and the op's own fields. */
export interface Reply {
  id: string
  ok: true
  [field: string]: unknown
}

/**
 * An error with a code: the API's (`bad_request`, `unauthorized`, `forbidden`, `unknown_op`,
 * `unknown_device`, `unsupported_capability`, `invalid_value`, `device_offline`, `timeout`, `busy`,
 * `provision_failed`, `internal`) or the client's own (`disconnected`, `not_paired`, `unreachable`,
 * `bad_frame`, `unknown_reply`, `handler_error`).
 */
export interface BridgeError extends Error {
  name: 'BridgeError'
  code: string
}
export const BridgeError: {
  new (code: string, message?: string): BridgeError
  (code: string, message?: string): BridgeError
  prototype: BridgeError
}

/**
 * What the core speaks over. The adapter hands it an open connection; the core sets `onMessage`
 * and `onClose`, and the adapter calls them: `onMessage` with each text frame received, `onClose`
 * once when the connection ends by itself. `close()` called by the core must not need to call
 * `onClose` (the core has let go of the transport before it calls `close`).
 */
export interface Transport {
  send(text: string): void
  close(): void
  onMessage?: ((text: string) => void) | null
  onClose?: ((info?: { code?: number; reason?: string }) => void) | null
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface CoreOptions {
  /** Per request, from the call until the reply (default 10000). */
  timeoutMs?: number
  /** A `ping` when no frame came for this long (checked every heartbeatMs, so 1-2× it; default 20000; 0 turns it off). */
  heartbeatMs?: number
  /** How long the `ping` may take before the transport is taken for dead (default 5000). */
  heartbeatTimeoutMs?: number
  /** How long a replaced transport may still answer what was sent on it (default 3000). */
  drainMs?: number
  /** Timer functions (default the global ones); tests pass fake ones. */
  timers?: Timers
}

export class Core {
  constructor(options?: CoreOptions)
  readonly timeoutMs: number
  /** True while a subscribed transport carries requests. */
  readonly connected: boolean

  /**
   * Subscribes on an open transport, then makes it the current one: requests waiting for a
   * connection go out on it, a previous transport drains, and if the core knew the devices
   * before, it asks again and emits one event per difference (`state`, `online`,
   * `device_added`, `device_removed`, `device_changed`).
   */
  attach(transport: Transport): Promise<void>
  /** Closes the transports on purpose; like a break: `set`s in flight wait for the next transport. */
  detach(reason?: string): void
  /** Rejects with `code` every request still waiting for a transport. */
  failQueued(code: string, message?: string): void
  /** Closes a replaced transport now instead of letting it finish (its `set`s move on). */
  finishDrain(): void
  /** For good; everything outstanding fails with `disconnected`. */
  close(): void

  /** Any op; `options.timeoutMs` replaces the core's timeoutMs for this request (provisioning takes longer). */
  request(op: string, fields?: Record<string, unknown>, options?: { timeoutMs?: number }): Promise<Reply>
  devices(): Promise<Device[]>
  get(device: string): Promise<Device>
  /** Resolves with the device's full state once the device itself has confirmed the change. */
  set(device: string, state: DeviceState): Promise<DeviceState>

  cached(): Device[]
  cached(id: string): Device | undefined

  on<K extends keyof ApiEvents>(event: K, fn: (e: ApiEvents[K]) => void): this
  /** Something odd arrived or a handler threw; the core carries on. */
  on(event: 'warning', fn: (e: BridgeError) => void): this
  /** The current transport is gone (it broke, the heartbeat failed, or `detach`). */
  on(event: 'detached', fn: (e: { reason: string }) => void): this
  /** Any other event the bridge sends (`provision`, ...). */
  on(event: string, fn: (e: any) => void): this
  off(event: string, fn: (e: any) => void): this
  emit(event: string, value: unknown): void
}

/** Full-jitter exponential back-off: a random delay in [0, min(maxMs, minMs * 2^attempt)]. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random?: () => number): number

export const API_EVENTS: ReadonlyArray<keyof ApiEvents>
