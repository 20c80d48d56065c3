// The home: devices by room, each a card with its online badge, last seen, live state, controls,
// a temperature sparkline and its command latency. Events are applied once per animation frame.
import { h, fill, ago, byText } from './dom.js'
import { capabilityRow } from './controls.js'
import { createSparkline } from './sparkline.js'

export function createHome (app) {
  const root = h('section', { 'aria-labelledby': 'home-title' })
  const cards = new Map() // id → { el, rows, badge, seen, spark, latency, device }
  const pending = new Map() // id → merged state waiting for the next frame
  let frame = 0
  let history = {}

  function card (device) {
    const rows = new Map()
    const badge = h('span', { class: 'badge' })
    const seen = h('span', { class: 'seen' })
    const latency = h('span', { class: 'latency', title: 'time from a command to the device confirming it' })
    const title = h('h3', { class: 'name' }, device.name)
    const el = h('article', { class: 'device', 'data-device': device.id, 'aria-label': device.name },
      h('header', {}, title, badge),
      h('p', { class: 'meta' }, seen, latency))
    let spark = null
    for (const [name, cap] of Object.entries(device.capabilities || {})) {
      const row = capabilityRow(device.id, name, cap, (device.state || {})[name], (c, v) => send(device.id, c, v))
      rows.set(name, row)
      el.append(row.row)
      if (name === 'current_temperature') {
        spark = createSparkline(history[device.id])
        row.row.append(spark.el)
      }
    }
    if (app.has('update')) {
      el.append(h('button', { type: 'button', class: 'link', onclick: () => app.editDevice(device) }, 'Rename or move…'))
    }
    const entry = { el, rows, badge, seen, spark, latency, device, title, lastSeen: Date.now() }
    setOnline(entry, device.online)
    showLatency(entry)
    return entry
  }

  function setOnline (entry, online) {
    entry.el.setAttribute('data-online', String(!!online))
    entry.badge.textContent = online ? 'online' : 'offline'
    entry.badge.className = 'badge ' + (online ? 'on' : 'off')
    if (!online) entry.seen.textContent = 'last seen ' + ago(entry.lastSeen)
    else entry.seen.textContent = 'seen ' + ago(entry.lastSeen)
  }

  function showLatency (entry) {
    const l = app.latency.of(entry.device.id)
    entry.latency.textContent = l ? ` · commands ${l.last} ms (median ${l.median} ms)` : ''
  }

  async function send (id, capability, value) {
    const started = performance.now()
    await app.core.set(id, { [capability]: value })
    app.latency.record(id, Math.round(performance.now() - started))
    const entry = cards.get(id)
    if (entry) showLatency(entry)
  }

  function render () {
    const devices = app.core.cached()
    cards.clear()
    const rooms = new Map()
    for (const d of devices.sort((a, b) => byText(a.name, b.name))) {
      const room = d.room || 'No room'
      if (!rooms.has(room)) rooms.set(room, [])
      rooms.get(room).push(d)
    }
    const sections = [...rooms.entries()].sort(([a], [b]) => (a === 'No room') - (b === 'No room') || byText(a, b)).map(([room, list]) =>
      h('section', { class: 'room' }, h('h2', {}, room), h('div', { class: 'grid' }, list.map(d => {
        const entry = card(d)
        cards.set(d.id, entry)
        return entry.el
      }))))
    fill(root, h('h1', { id: 'home-title', class: 'visually-hidden' }, 'Home'),
      devices.length ? sections : h('p', { class: 'empty' }, 'No devices yet. Devices that announce themselves appear here; others are under "Devices found".'))
  }

  function flush () {
    frame = 0
    for (const [id, state] of pending) {
      const entry = cards.get(id)
      if (!entry) continue
      entry.lastSeen = Date.now()
      entry.seen.textContent = 'seen just now'
      for (const [name, value] of Object.entries(state)) {
        const row = entry.rows.get(name)
        if (row) row.update(value)
        if (name === 'current_temperature' && entry.spark && typeof value === 'number') entry.spark.add(value)
      }
    }
    pending.clear()
  }

  app.core.on('state', e => {
    pending.set(e.device, Object.assign(pending.get(e.device) || {}, e.state))
    if (!frame) frame = requestAnimationFrame(flush)
  })
  app.core.on('online', e => {
    const entry = cards.get(e.device)
    if (!entry) return
    if (e.online) entry.lastSeen = Date.now()
    setOnline(entry, e.online)
  })
  for (const event of ['device_added', 'device_removed', 'device_changed']) app.core.on(event, () => render())
  setInterval(() => { for (const entry of cards.values()) if (entry.el.getAttribute('data-online') === 'false') setOnline(entry, false) }, 30000)

  return {
    el: root,
    /**
     * The devices and the temperature history, asked for together; the cards as soon as the
     * devices are known, and the sparklines' history whenever it comes (before or after them).
     */
    async load () {
      const devices = app.core.devices() // asked first: the bridge answers in order
      app.core.request('history').then(reply => {
        history = (reply && reply.history) || {}
        for (const [id, entry] of cards) if (entry.spark) entry.spark.history(history[id])
      }, () => { /* no history: the sparklines start from the live values */ })
      await devices
      render()
    },
    render
  }
}
