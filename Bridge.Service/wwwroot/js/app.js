// The console's shell: sign-in (a token from #token=…, kept in this browser's storage, or a pairing
// code), the connection banner, navigation between pages, and what several pages share.
import { h, fill } from './dom.js'
import { createConnection, pairWithCode } from './connection.js'
import { createHome } from './home.js'
import { createActivity, createLatency } from './activity.js'
import * as pages from './pages.js'
import * as setup from './setup.js'

const TOKEN_KEY = 'devicebridge.token'
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

let connection = null

function start (token) {
  if (connection) connection.close()
  const views = new Map()
  const app = {
    ops: new Map(), // op → present (bool), from probing
    has: op => app.ops.get(op) !== false,
    latency: createLatency(),
    signOut () { localStorage.removeItem(TOKEN_KEY); connection.close(); showBanner('connected', ''); signIn() },
    editDevice: device => pages.editDevice(app, device, main)
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
      // Optional ops are looked for after the home is up, then the pages that need them appear.
      await probe(app)
      if (!app.has('update')) home.render() // the cards offer "Rename or move…" until told otherwise
      route()
    }
  })
  app.core = connection.core
  app.request = connection.request
  // Asked for now: the core holds the requests and sends them as soon as the connection is
  // subscribed, so the first cards wait for no extra round trip after "connected".
  const home = createHome(app)
  const activity = createActivity(app)
  const loaded = home.load().then(() => true, () => false)

  function route () {
    const page = currentPage()
    nav.hidden = false
    for (const a of nav.querySelectorAll('a')) {
      const here = a.getAttribute('href') === '#/' + page || (page === 'home' && a.getAttribute('href') === '#/')
      if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current')
      const op = a.dataset.op
      a.parentElement.hidden = !!op && !app.has(op)
    }
    const builders = { pair: pages.pairPage, tokens: pages.tokensPage, found: setup.discoveredPage, setup: setup.provisionPage, scenes: scenesPage, relay: pages.relayPage }
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
  function focusHeading () {
    const heading = main.querySelector('h1')
    if (heading) { heading.setAttribute('tabindex', '-1'); if (document.activeElement === document.body || nav.contains(document.activeElement)) heading.focus({ preventScroll: true }) }
  }
  window.onhashchange = () => { if (views.size) route() }
  document.getElementById('sign-out').onclick = () => app.signOut()
}

function currentPage () { return (location.hash.replace(/^#\/?/, '') || 'home').split('/')[0] }

/** Pages few visits need are loaded when first opened, not with the home. */
function scenesPage (app) { return import('./scenes.js').then(m => m.scenesPage(app)) }

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
