// A live timeline of what the bridge reports, and each device's command latency as this page measured it.
import { h, fill, clock } from './dom.js'

const MAX_EVENTS = 200

/** Round trips of this page's own `set`s per device: from sending to the device's confirmation. */
export function createLatency () {
  const samples = new Map()
  return {
    record (id, ms) {
      const list = samples.get(id) || []
      list.push(ms)
      if (list.length > 50) list.shift()
      samples.set(id, list)
    },
    of (id) {
      const list = samples.get(id)
      if (!list || !list.length) return null
      const sorted = [...list].sort((a, b) => a - b)
      return { last: list[list.length - 1], median: sorted[Math.floor(sorted.length / 2)], count: list.length }
    },
    all () { return [...samples.keys()].map(id => ({ id, ...this.of(id) })) }
  }
}

function describe (app, e) {
  const name = id => { const d = app.core.cached(id); return d ? d.name : id }
  switch (e.event) {
    case 'state': return `${name(e.device)}: ${Object.entries(e.state || {}).map(([k, v]) => `${k} ${v}`).join(', ')}`
    case 'online': return `${name(e.device)} is ${e.online ? 'online' : 'offline'}`
    case 'device_added': return `${e.device.name} was added`
    case 'device_removed': return `${name(e.device)} was removed`
    case 'device_changed': return `${e.device.name} was renamed or moved`
    case 'timer_ran': {
      const results = e.results || []
      const failed = results.filter(r => !r.ok)
      return `timer ${e.timer} ran: ${results.length - failed.length} of ${results.length} devices done` +
        (failed.length ? ` (${failed.map(f => `${name(f.device)}: ${(f.error && f.error.message) || 'failed'}`).join('; ')})` : '')
    }
    default: return e.event
  }
}

export function createActivity (app) {
  const list = h('ol', { class: 'timeline', reversed: true })
  const latency = h('tbody')
  const el = h('section', {},
    h('h1', {}, 'Activity'),
    h('h2', {}, 'Command latency'),
    h('p', {}, 'From a command sent on this page to the device confirming it.'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col' }, 'Last'), h('th', { scope: 'col' }, 'Median'), h('th', { scope: 'col' }, 'Commands'))), latency),
    h('h2', {}, 'Events'),
    list)
  const queue = []
  let frame = 0

  function flush () {
    frame = 0
    const items = queue.splice(0).map(([time, text]) => h('li', {}, h('time', {}, clock(time)), ' ', text))
    list.prepend(...items.reverse())
    while (list.childElementCount > MAX_EVENTS) list.lastElementChild.remove()
    fill(latency, app.latency.all().map(l => h('tr', {}, h('td', {}, (app.core.cached(l.id) || { name: l.id }).name), h('td', {}, l.last + ' ms'), h('td', {}, l.median + ' ms'), h('td', {}, l.count))))
  }

  for (const event of ['state', 'online', 'device_added', 'device_removed', 'device_changed', 'timer_ran']) {
    app.core.on(event, e => {
      queue.push([Date.now(), describe(app, e)])
      if (queue.length > MAX_EVENTS) queue.shift()
      if (!frame) frame = requestAnimationFrame(flush)
    })
  }
  flush()
  return { el }
}
