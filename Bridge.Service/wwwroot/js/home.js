// The home: devices by room, each a card with its online badge, last seen, live state, controls,
// a temperature sparkline and its command latency. Events are applied once per animation frame.
// One module with the rows and the sparkline it is made of: every file on the home's path costs
// the first load a request and a module to evaluate (docs/benchmarks.md, "Issue #12").
import { h, svg, fill, ago, byText, clock } from './dom.js'

// ---- One row per capability of a device: its live value (data-state/data-value) and, when
// writable, its control (data-control): a switch for power, a number input for numbers, a select
// for enums.

const LABELS = {
  power: 'Power', brightness: 'Brightness', color_temp: 'Colour temperature', mode: 'Mode', fan_speed: 'Fan',
  target_temperature: 'Target', current_temperature: 'Temperature'
}

export const label = name => LABELS[name] || name.replace(/_/g, ' ')

function isNumber (cap) { return cap.type === 'int' || cap.type === 'number' }

/** The text a person reads for a value: "80 %", "26.5 °C", "on". */
function display (cap, value) {
  if (value === undefined || value === null) return '—'
  return isNumber(cap) && cap.unit ? `${value} ${cap.unit}` : String(value)
}

/**
 * Builds the row; returns { row, update(value), fail(message) }.
 * send(capability, value) → Promise (rejects with a BridgeError whose message is shown beside the control).
 */
function capabilityRow (deviceId, name, cap, value, send) {
  const id = `c-${deviceId}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_')
  const output = h('span', { class: 'value', 'data-state': name })
  const error = h('span', { class: 'error', id: id + '-error', role: 'alert' })
  const writable = !cap.read_only
  let control = null

  if (writable && name === 'power') {
    control = h('button', {
      type: 'button', role: 'switch', class: 'switch', 'data-control': name, 'aria-label': label(name),
      onclick: () => run(control.getAttribute('aria-checked') === 'true' ? 'off' : 'on')
    }, h('span', { class: 'knob', 'aria-hidden': 'true' }))
  } else if (writable && isNumber(cap)) {
    control = h('input', {
      type: 'number', id, 'data-control': name, min: cap.min, max: cap.max,
      step: cap.step || (cap.type === 'int' ? 1 : 'any'), inputmode: cap.type === 'int' ? 'numeric' : 'decimal',
      'aria-describedby': id + '-error',
      onchange: () => {
        const n = Number(control.value)
        if (control.value === '' || !Number.isFinite(n)) return fail('enter a number')
        run(n)
      }
    })
  } else if (writable && cap.type === 'enum') {
    control = h('select', { id, 'data-control': name, 'aria-describedby': id + '-error', onchange: () => run(control.value) },
      // An empty choice stands for "not known yet" (an IR air conditioner reports nothing until told).
      h('option', { value: '', disabled: true }, '—'), (cap.values || []).map(v => h('option', { value: v }, v)))
  }

  let current = value
  function update (v) {
    current = v
    output.setAttribute('data-value', v === undefined || v === null ? '' : (typeof v === 'number' ? JSON.stringify(v) : String(v)))
    output.textContent = display(cap, v)
    if (!control) return
    if (control.getAttribute('role') === 'switch') control.setAttribute('aria-checked', String(v === 'on'))
    else if (document.activeElement !== control) control.value = v === undefined || v === null ? '' : String(v)
  }

  function fail (message) {
    error.textContent = message || ''
    if (control && control.tagName !== 'BUTTON') control.setAttribute('aria-invalid', message ? 'true' : 'false')
  }

  function run (v) {
    fail('')
    if (control) control.setAttribute('aria-busy', 'true')
    return send(name, v).then(
      () => { if (control) control.removeAttribute('aria-busy') },
      e => {
        if (control) control.removeAttribute('aria-busy')
        fail((e && e.message) || 'failed')
        if (control && control.tagName !== 'BUTTON' && document.activeElement !== control) update(current)
      })
  }

  update(value)
  const row = h('div', { class: 'cap' },
    control && control.tagName !== 'BUTTON'
      ? h('label', { for: id }, label(name))
      : h('span', { class: 'cap-label' }, label(name)),
    output, control, error)
  return { row, update, fail }
}

// ---- A temperature over the last hours as a small SVG line (history from the bridge's `history`
// op, then live values from state events).

const WIDTH = 120
const HEIGHT = 28
const MAX_POINTS = 480

function createSparkline (points) {
  const series = (points || []).map(([t, v]) => [t * 1000, v])
  const line = svg('polyline', { fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5, 'stroke-linejoin': 'round' })
  const title = svg('title')
  const el = svg('svg', { class: 'spark', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img' })
  el.append(title, line)

  function draw () {
    if (series.length === 0) { line.setAttribute('points', ''); title.textContent = 'no history yet'; el.setAttribute('aria-label', 'no temperature history yet'); return }
    const now = Date.now()
    const t0 = Math.min(series[0][0], now - 60_000)
    const values = series.map(p => p[1])
    const lo = Math.min(...values) - 0.5
    const hi = Math.max(...values) + 0.5
    const x = t => ((t - t0) / Math.max(1, now - t0)) * WIDTH
    const y = v => HEIGHT - ((v - lo) / (hi - lo)) * HEIGHT
    // A step line: a value holds until the next one, and the last one until now.
    const pts = []
    series.forEach(([t, v], i) => {
      if (i > 0) pts.push(`${x(t).toFixed(1)},${y(series[i - 1][1]).toFixed(1)}`)
      pts.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`)
    })
    pts.push(`${WIDTH},${y(series[series.length - 1][1]).toFixed(1)}`)
    line.setAttribute('points', pts.join(' '))
    const text = `temperature since ${clock(t0)}: from ${Math.min(...values)} to ${Math.max(...values)} °C`
    title.textContent = text
    el.setAttribute('aria-label', text)
  }

  draw()
  return {
    el,
    /** The bridge's history, when it comes after the card was drawn: the live values seen since stay after it. */
    history (points) {
      const past = (points || []).map(([t, v]) => [t * 1000, v])
      const end = past.length ? past[past.length - 1][0] : -Infinity
      series.splice(0, series.length, ...past, ...series.filter(p => p[0] > end))
      if (series.length > MAX_POINTS) series.splice(0, series.length - MAX_POINTS)
      draw()
    },
    add (value) {
      const now = Date.now()
      const last = series[series.length - 1]
      if (last && last[1] === value) return
      series.push([now, value])
      if (series.length > MAX_POINTS) series.shift()
      draw()
    }
  }
}

// ---- The home itself.

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
     * `first`: those two requests when they are under way already ({ devices, history }).
     */
    async load (first) {
      const devices = first ? first.devices : app.core.devices() // asked first: the bridge answers in order
      ;(first ? first.history : app.core.request('history')).then(reply => {
        history = (reply && reply.history) || {}
        for (const [id, entry] of cards) if (entry.spark) entry.spark.history(history[id])
      }, () => { /* no history: the sparklines start from the live values */ })
      await devices
      render()
    },
    render
  }
}
