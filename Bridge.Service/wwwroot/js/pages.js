// Pages for the household's admin: pairing a phone, tokens, the relay, and
// renaming a device. Each asks the bridge when it is opened; errors are shown, never thrown away.
import { h, fill, svg } from './dom.js'

function failure (el, e) { fill(el, h('p', { class: 'error', role: 'alert' }, (e && e.message) || String(e))) }

function page (title, intro, body) {
  return h('section', {}, h('h1', {}, title), intro ? h('p', {}, intro) : null, body)
}

/** The pairing QR code drawn from the bridge's module rows ("1" dark). */
function qrCode (rows, text) {
  const n = rows.length
  const el = svg('svg', { viewBox: `0 0 ${n} ${n}`, width: 8 * n, height: 8 * n, class: 'qr', role: 'img', 'aria-label': 'QR code: ' + text, 'shape-rendering': 'crispEdges' })
  el.append(svg('rect', { width: n, height: n, fill: '#fff' }))
  let d = ''
  rows.forEach((row, y) => { for (let x = 0; x < row.length; x++) if (row[x] === '1') d += `M${x} ${y}h1v1h-1z` })
  el.append(svg('path', { d, fill: '#000' }))
  return el
}

export function pairPage (app) {
  const body = h('div', { class: 'card' }, 'Loading…')
  const load = async () => {
    try {
      const r = await app.request('pairing')
      fill(body,
        h('p', {}, 'On the phone, open the mini-program and scan this code, or type the pairing code. It works once and for a few minutes.'),
        h('p', { class: 'code' }, h('span', { class: 'visually-hidden' }, 'Pairing code: '), h('strong', { 'data-pairing-code': r.code }, r.code)),
        qrCode(r.qr, r.qr_text),
        h('p', {}, 'Bridge ', h('code', {}, r.bridge), ' at ', h('code', {}, r.address)),
        h('button', { type: 'button', onclick: load }, 'Show the current code'))
    } catch (e) { failure(body, e) }
  }
  load()
  return page('Pair a phone', null, body)
}

export function tokensPage (app) {
  const body = h('div', {}, 'Loading…')
  const load = async () => {
    try {
      const { tokens } = await app.request('tokens')
      fill(body, h('table', {},
        h('thead', {}, h('tr', {}, ['Name', 'Scope', 'Issued', 'Expires', ''].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, tokens.map(t => h('tr', { 'data-token': t.jti },
          h('td', {}, t.name), h('td', {}, t.scope), h('td', {}, t.issued), h('td', {}, t.expires),
          h('td', {}, t.revoked ? 'revoked' : h('button', {
            type: 'button',
            'aria-label': `Revoke ${t.name}`,
            onclick: async () => { try { await app.request('revoke', { jti: t.jti }); load() } catch (e) { failure(body, e) } }
          }, 'Revoke')))))))
    } catch (e) { failure(body, e) }
  }
  load()
  return page('Tokens', 'Every phone, browser and tool that may use this bridge. Revoking one ends its connections at once.', body)
}

export function relayPage (app) {
  const body = h('div', { class: 'card' }, 'Loading…')
  app.request('relay').then(r => fill(body,
    h('p', { 'data-relay': r.connected ? 'connected' : (r.configured ? 'disconnected' : 'off') },
      !r.configured ? 'No relay is set (Relay:Url): phones reach this bridge only at home.'
        : r.connected ? `Connected to the relay (${r.urls.join(', ')}); phones away from home reach this bridge through it.`
          : `Not connected to the relay (${r.urls.join(', ')}); retrying.`),
    r.configured ? h('p', {}, `Connections made since start: ${r.connects}`) : null
  ), e => failure(body, e))
  return page('Relay', null, body)
}

/** A dialog to rename a device or move it to another room (`update`). */
export function editDevice (app, device, main) {
  const name = h('input', { id: 'edit-name', value: device.name, maxlength: 200, required: true })
  const room = h('input', { id: 'edit-room', value: device.room || '' })
  const error = h('p', { class: 'error', role: 'alert' })
  const dialog = h('dialog', { 'aria-labelledby': 'edit-title' }, h('form', {
    method: 'dialog',
    onsubmit: async e => {
      e.preventDefault()
      try {
        await app.request('update', { device: device.id, name: name.value.trim(), room: room.value.trim() || null })
        dialog.close(); dialog.remove()
      } catch (err) { error.textContent = err.message }
    }
  },
  h('h2', { id: 'edit-title' }, 'Rename or move'),
  h('label', { for: 'edit-name' }, 'Name'), name,
  h('label', { for: 'edit-room' }, 'Room'), room, error,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save'), h('button', { type: 'button', onclick: () => { dialog.close(); dialog.remove() } }, 'Cancel'))))
  main.append(dialog)
  dialog.showModal()
}
