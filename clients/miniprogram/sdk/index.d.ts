// Typings of devicebridge-miniprogram (checked against miniprogram-api-typings with tsc --noEmit).
/// <reference types="miniprogram-api-typings" />
import type { ApiEvents, BridgeError as CoreBridgeError, Device, DeviceState, Path, Reply, Timers } from './lib/core'

export type { ActionResult, ApiEvents, Capability, Device, DeviceState, Path, Reply, StateValue, TimerRanEvent } from './lib/core'
export type BridgeError = CoreBridgeError
export const BridgeError: { new (code: string, message?: string): CoreBridgeError; (code: string, message?: string): CoreBridgeError }

export interface ClientOptions {
  /** The mini-program's `wx` (tests pass their own). */
  wx: WechatMiniprogram.Wx
  /** The relay's base URL, e.g. 'wss://relay.example.com' (a domain configured for the mini-program); the SDK appends /api/v1/bridges/<id>/ws. */
  relay?: string
  /** Where the pairing (token, bridge id, last address) is kept in wx storage. Default 'devicebridge'. */
  storageKey?: string
  /** Per request, from the call to the reply. Default 10000. */
  timeoutMs?: number
  /** UDP port of the bridge's beacon (Discovery:BeaconPort). Default 8971. */
  beaconPort?: number
  /** Advanced: how long to browse mDNS / ask the beacon (1500 each), to open a LAN socket (2000) or the relay's (8000). */
  mdnsMs?: number
  beaconMs?: number
  lanTimeoutMs?: number
  relayTimeoutMs?: number
  /** Advanced: idle time before a heartbeat ping (20000; 0 = none) and its answer's deadline (5000). */
  heartbeatMs?: number
  heartbeatTimeoutMs?: number
  /** Advanced: reconnect back-off bounds (500..30000) and LAN probing while on the relay (2000..60000), full jitter. */
  retryMinMs?: number
  retryMaxMs?: number
  probeMinMs?: number
  probeMaxMs?: number
  /** Advanced: deadline of each HTTP request to a device in provisionSoftAp (8000). */
  provisionTimeoutMs?: number
  /** Tests: fake timers and randomness. */
  timers?: Timers
  random?: () => number
}

export interface SoftApRequest {
  /** The device's address on its own access point, e.g. '192.168.4.1' (ESP-IDF), '192.168.33.1' (Shelly), or with ':port'. */
  address: string
  ssid: string
  password: string
  /** Proof of possession for ESP-IDF security 1 and 2. */
  pop?: string
  /** ESP-IDF security 2 user name. Default 'wifiprov'. */
  username?: string
}

export interface SoftApResult {
  kind: 'esp-idf' | 'shelly' | 'tasmota'
  /** Where the device says to go next, or null. */
  redirect: string | null
}

export interface ClientEvents extends ApiEvents {
  /** The path changed: 'lan', 'relay', or null while there is none. */
  path: Path | null
  /** Something odd arrived (garbage, a reply for no request) or a handler threw; nothing is thrown into the app. */
  warning: CoreBridgeError
}

export interface Client {
  /** 'lan', 'relay', or null while not connected. */
  readonly path: Path | null
  /** The paired bridge's id, or null before pairing. */
  readonly bridge: string | null
  /** Exchanges the bridge's 6-digit pairing code for a token, finding the bridge on this Wi-Fi (or at `address`). */
  pair(request: { code: string; name?: string; address?: string }): Promise<{ bridge: string }>
  /** LAN first (last address, mDNS, UDP beacon), then the relay. */
  connect(): Promise<Path>
  devices(): Promise<Device[]>
  get(device: string): Promise<Device>
  /** Resolves with the device's full state once the device itself has confirmed the change. */
  set(device: string, state: DeviceState): Promise<DeviceState>
  /** Any op (scenes, scene_run, timers, adopt, ...): resolves with the reply object. */
  request(op: string, fields?: Record<string, unknown>, options?: { timeoutMs?: number }): Promise<Reply>
  /** The devices as last known from replies and events, without asking the bridge. */
  cached(): Device[]
  cached(id: string): Device | undefined
  on<K extends keyof ClientEvents>(event: K, fn: (e: ClientEvents[K]) => void): Client
  on(event: string, fn: (e: any) => void): Client
  off(event: string, fn: (e: any) => void): Client
  /**
   * An installer's phone on a device's own access point gives it the home's Wi-Fi: ESP-IDF unified
   * provisioning (security 0; security 1 and 2 are refused with `provision_failed`, use the
   * bridge's `provision` op), Shelly Gen2+, Tasmota. Rejects with `provision_failed` (the message
   * says why and what state the device was left in) or `bad_request`.
   */
  provisionSoftAp(request: SoftApRequest): Promise<SoftApResult>
  /** Forgets the pairing and closes the connection; `pair()` again later. */
  forget(): void
  /** Closes for good; outstanding requests fail with `disconnected`. */
  close(): void
}

export function createClient(options: ClientOptions): Client

export const EVENTS: ReadonlyArray<keyof ClientEvents>
