// The console's shell: sign-in (a token from #token=…, kept in this browser's storage, or a pairing
// code), the connection banner, navigation between pages, the activity it records from the start,
// and what several pages share.
import { h, fill, clock } from './dom.js'
import { createHome } from './home.js'

/**
 * Resolves once a classic script of the page has run (its global is set): lib/core.js loads
 * `async` (the connection attaches it as soon as it has run) and can come after the modules.
 */
function classicScript (global, src) {
  if (globalThis[global]) return Promise.resolve(globalThis[global])
  const script = document.querySelector(`script[src="${src}"]`)
  return new Promise((resolve, reject) => {
    script.addEventListener('load', () => resolve(globalThis[global]))
    script.addEventListener('error', () => reject(new Error(`${src} did not load`)))
  })
}
const [{ createConnection, pairWithCode, TOKEN_KEY }] = await Promise.all([
  classicScript('DeviceBridgeConnection', 'js/connection.js'), classicScript('DeviceBridgeCore', 'lib/core.js')])
const main = document.getElementById('main')
const banner = document.getElementById('banner')
const nav = document.getElementById('nav')

/** The token from the address (#token=…), which is then removed from the address bar and history. */
function takeTokenFromAddress () {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash)
  if (!match) return null
  history.replaceState(null, '', location.pathname + location.search + '#/')
  return decodeURIComponent(match[1])
}

function showBanner (kind, text) {
  banner.className = 'banner ' + kind
  banner.textContent = text
  banner.hidden = kind === 'connected'
}

function signIn (problem) {
  nav.hidden = true
  const code = h('input', { id: 'pair-code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true })
  const name = h('input', { id: 'pair-name', value: 'Browser', maxlength: 64, required: true })
  const error = h('p', { class: 'error', role: 'alert' })
  const form = h('form', {
    class: 'card narrow',
    onsubmit: async e => {
      e.preventDefault()
      error.textContent = ''
      try {
        const { token } = await pairWithCode(code.value.trim(), name.value.trim())
        localStorage.setItem(TOKEN_KEY, token)
        start(token)
      } catch (err) { error.textContent = err.message }
    }
  },
  h('h1', {}, 'Sign in to the bridge'),
  problem ? h('p', { class: 'error', role: 'alert', 'data-problem': 'token' }, problem) : null,
  h('p', {}, 'Type the pairing code the bridge shows (it prints "Pairing code: …" when it starts), or open the address the demo prints.'),
  h('label', { for: 'pair-code' }, 'Pairing code'), code,
  h('label', { for: 'pair-name' }, 'Name for this browser'), name,
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'), error)
  fill(main, form)
  code.focus()
}

// ---- The activity page: a live timeline of what the bridge reports, and each device's command
// latency as this page measured it. Here, not in a module of its own, because it records from the
// start: one file fewer on the home's path (docs/benchmarks.md, "Issue #12").

const MAX_EVENTS = 200

/** Round trips of this page's own `set`s per device: from sending to the device's confirmation. */
function createLatency () {
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

function createActivity (app) {
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

// ---- Starting the console: the connection, the views and the pages.

let connection = null

function start (token) {
  if (connection) connection.close()
  const views = new Map()
  const app = {
    ops: new Map(), // op → present (bool), from probing
    has: op => app.ops.get(op) !== false,
    latency: createLatency(),
    signOut () { localStorage.removeItem(TOKEN_KEY); connection.close(); showBanner('connected', ''); signIn() },
    editDevice: device => import('./pages.js').then(pages => pages.editDevice(app, device, main), e => showBanner('lost', e.message))
  }
  connection = createConnection(token, async (kind, message) => {
    showBanner(kind, message)
    if (kind === 'unauthorized') {
      localStorage.removeItem(TOKEN_KEY)
      signIn(`This sign-in no longer works: ${message}. Pair this browser again with the bridge's pairing code.`)
    } else if (kind === 'connected' && !views.size) {
      views.set('home', home)
      views.set('activity', activity)
      try {
        // The early requests can have timed out on a slow first connection: then once more.
        if (!(await loaded)) await home.load()
      } catch (e) { showBanner('lost', `The bridge did not list its devices: ${e.message}`); return }
      route()
      // Optional ops are looked for once the home is on the screen (their nine round trips would
      // otherwise hold up its first frame), then the pages that need them appear.
      await afterNextFrame()
      await probe(app)
      if (!app.has('update')) home.render() // the cards offer "Rename or move…" until told otherwise
      // The home is shown already: only the links change (laying it out again costs a frame).
      if (currentPage() === 'home') showNav('home'); else route()
      // The other pages' modules, fetched now that the home is up, so they open without a wait.
      for (const file of ['./pages.js', './setup.js']) import(file).catch(() => { /* tried again when opened */ })
    }
  })
  app.core = connection.core
  app.request = connection.request
  const home = createHome(app)
  const activity = createActivity(app)
  // What happened between the connection's subscribe and now, as if it had just come.
  for (const e of connection.missed) app.core.emit(e.event, e)
  // The devices and history were asked for when the page started (js/connection.js), or are now:
  // the core holds them until the connection is subscribed, so the first cards wait for no extra
  // round trip after "connected".
  const loaded = home.load(connection.first).then(() => true, () => false)

  function showNav (page) {
    nav.hidden = false
    for (const a of nav.querySelectorAll('a')) {
      const here = a.getAttribute('href') === '#/' + page || (page === 'home' && a.getAttribute('href') === '#/')
      if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current')
      const op = a.dataset.op
      a.parentElement.hidden = !!op && !app.has(op)
    }
  }

  function route () {
    const page = currentPage()
    showNav(page)
    const builders = {
      pair: lazyPage('./pages.js', 'pairPage'),
      tokens: lazyPage('./pages.js', 'tokensPage'),
      found: lazyPage('./setup.js', 'discoveredPage'),
      setup: lazyPage('./setup.js', 'provisionPage'),
      scenes: lazyPage('./scenes.js', 'scenesPage'),
      relay: lazyPage('./pages.js', 'relayPage')
    }
    if (page === 'home') fill(main, views.get('home').el)
    else if (page === 'activity') fill(main, views.get('activity').el)
    else if (builders[page]) {
      const built = builders[page](app)
      if (!(built instanceof Promise)) fill(main, built)
      else {
        fill(main, h('p', {}, 'Loading…'))
        built.then(el => { if (page === currentPage()) { fill(main, el); focusHeading() } }, e => fill(main, h('p', { class: 'error', role: 'alert' }, e.message)))
        return
      }
    } else fill(main, h('p', {}, 'No such page.'))
    focusHeading()
  }
  // In the next frame: focus() lays the page out at once, and the first time that is the whole
  // home, inside the task that inserts it (docs/benchmarks.md); in a frame it is the layout the
  // frame does anyway.
  function focusHeading () {
    requestAnimationFrame(() => {
      const heading = main.querySelector('h1')
      if (heading) { heading.setAttribute('tabindex', '-1'); if (document.activeElement === document.body || nav.contains(document.activeElement)) heading.focus({ preventScroll: true }) }
    })
  }
  window.onhashchange = () => { if (views.size) route() }
  document.getElementById('sign-out').onclick = () => app.signOut()
}

/**
 * Resolves once the next frame has been drawn (a task queued from its animation callback runs
 * after it); at once in a hidden tab, which draws no frames.
 */
function afterNextFrame () {
  return new Promise(resolve => document.hidden ? resolve() : requestAnimationFrame(() => setTimeout(resolve, 0)))
}

function currentPage () { return (location.hash.replace(/^#\/?/, '') || 'home').split('/')[0] }

/**
 * Pages other than the home and the activity are loaded when first opened, not with the home:
 * fewer files stand between opening the console and its first usable card (docs/benchmarks.md).
 */
function lazyPage (file, name) { return app => import(file).then(m => m[name](app)) }

/** Which optional ops this bridge has: a malformed request answers unknown_op only when the op is missing. */
async function probe (app) {
  const optional = { update: { device: '' }, scenes: {}, timers: {}, wifi_networks: {}, provision: {}, discovered: {}, tokens: {}, pairing: {}, relay: {} }
  await Promise.all(Object.entries(optional).map(async ([op, fields]) => {
    try { await app.core.request(op, fields); app.ops.set(op, true) } catch (e) { app.ops.set(op, e.code !== 'unknown_op') }
  }))
}

const token = takeTokenFromAddress() || localStorage.getItem(TOKEN_KEY)
if (token) {
  localStorage.setItem(TOKEN_KEY, token)
  start(token)
} else signIn()
