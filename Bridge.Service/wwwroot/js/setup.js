// Installer pages: devices the bridge found on the LAN (adopt them), and the provisioning wizard
// that puts a new device on the home's Wi-Fi (CONTRACT.md, "Provisioning").
import { h, fill } from './dom.js'

const { onProvisionProgress } = globalThis.DeviceBridgeConnection // js/connection.js, a classic script

const STEPS = ['connecting', 'sending', 'joining', 'provisioned', 'found', 'adopted']
const STEP_TEXT = {
  connecting: 'Reaching the device', sending: 'Sending the Wi-Fi name and password', joining: 'The device is joining the network',
  provisioned: 'The device joined', found: 'The bridge sees it on the LAN', adopted: 'Ready to use'
}
/** Credentials some protocols need to adopt a device (CONTRACT.md, the LAN protocols table). */
const CREDENTIAL = { tuya: ['key', 'Local key (16 characters)'], miio: ['token', 'Token (32 hex digits)'] }

export function discoveredPage (app) {
  const body = h('div', {}, 'Loading…')
  const load = async () => {
    try {
      const { found } = await app.request('discovered')
      if (!found.length) return fill(body, h('p', {}, 'Nothing found yet. Devices appear here as they announce themselves on the LAN.'))
      fill(body, h('ul', { class: 'list' }, found.map(f => item(f))))
    } catch (e) { fill(body, h('p', { class: 'error', role: 'alert' }, e.message)) }
  }
  function item (f) {
    const status = h('span', { class: 'status', role: 'status' })
    const credential = CREDENTIAL[f.protocol]
    const input = credential && !f.adopted ? h('input', { id: 'cred-' + f.id, autocomplete: 'off', spellcheck: 'false' }) : null
    const adopt = h('button', {
      type: 'button',
      'aria-label': `Adopt ${f.name || f.id}`,
      onclick: async () => {
        status.textContent = 'Adopting…'
        adopt.disabled = true
        try {
          const fields = { device: f.id }
          if (input) fields[credential[0]] = input.value.trim()
          const r = await app.request('adopt', fields, 60000)
          status.textContent = `Adopted: ${r.device.name}`
          li.setAttribute('data-adopted', 'true')
        } catch (e) { status.textContent = e.message; adopt.disabled = false }
      }
    }, 'Adopt')
    const li = h('li', { 'data-found': f.id, 'data-adopted': String(!!f.adopted) },
      h('strong', {}, f.name || f.id), ` ${f.protocol} at ${f.address}${f.port ? ':' + f.port : ''} `,
      f.adopted ? h('span', {}, '(adopted)') : [input ? [h('label', { for: 'cred-' + f.id }, credential[1]), input] : null, adopt],
      ' ', status)
    return li
  }
  load()
  return h('section', {}, h('h1', {}, 'Devices found'), h('p', {}, 'Devices on the LAN the bridge can take over.'),
    h('button', { type: 'button', onclick: load }, 'Look again'), body)
}

export function provisionPage (app) {
  const method = h('select', { id: 'pv-method' }, h('option', { value: 'improv' }, 'Improv Wi-Fi over a serial port (USB)'), h('option', { value: 'softap' }, "The device's own access point"))
  const target = h('input', { id: 'pv-target', required: true, placeholder: '/dev/ttyUSB0 or 192.168.4.1' })
  const ssid = h('input', { id: 'pv-ssid', required: true, list: 'pv-networks', autocomplete: 'off' })
  const networks = h('datalist', { id: 'pv-networks' })
  const password = h('input', { id: 'pv-password', type: 'password', autocomplete: 'new-password' })
  const pop = h('input', { id: 'pv-pop', type: 'password', autocomplete: 'off' })
  const steps = h('ol', { class: 'steps', 'aria-live': 'polite' })
  const result = h('p', { role: 'status' })
  const scanStatus = h('span', { role: 'status' })

  const scan = async () => {
    scanStatus.textContent = 'Asking the device which networks it sees…'
    try {
      const r = await app.request('wifi_networks', { method: method.value, target: target.value.trim() }, 60000)
      fill(networks, r.networks.map(n => h('option', { value: n.ssid }, `${n.ssid} (${n.rssi} dBm${n.secure ? ', secured' : ''})`)))
      scanStatus.textContent = r.networks.length ? `${r.networks.length} networks: pick one in the network field` : 'The device sees no network'
    } catch (e) { scanStatus.textContent = e.message }
  }

  const form = h('form', {
    class: 'card',
    onsubmit: async e => {
      e.preventDefault()
      fill(steps, STEPS.map(s => h('li', { 'data-step': s, class: 'pending' }, STEP_TEXT[s])))
      result.textContent = 'Working…'
      const onStep = ev => {
        const li = steps.querySelector(`[data-step="${ev.step}"]`)
        if (li) li.className = 'done'
      }
      const stopListening = onProvisionProgress(onStep)
      try {
        const fields = { method: method.value, target: target.value.trim(), ssid: ssid.value, password: password.value }
        if (pop.value) fields.pop = pop.value
        const r = await app.request('provision', fields, 180000)
        result.textContent = r.device ? `Done: ${r.device.name} is ready on the home page.` : 'The device joined the network; the bridge has not seen it on the LAN yet.'
      } catch (err) {
        result.textContent = err.message
      } finally {
        stopListening()
        password.value = ''
        pop.value = ''
      }
    }
  },
  h('label', { for: 'pv-method' }, 'How to reach the device'), method,
  h('label', { for: 'pv-target' }, 'Serial port or address'), target,
  h('div', { class: 'actions' }, h('button', { type: 'button', onclick: scan }, 'Find networks'), scanStatus),
  h('label', { for: 'pv-ssid' }, 'Wi-Fi network'), ssid, networks,
  h('label', { for: 'pv-password' }, 'Wi-Fi password'), password,
  h('label', { for: 'pv-pop' }, 'Proof of possession (if the device asks for one)'), pop,
  h('button', { type: 'submit', class: 'primary' }, 'Set up'))
  return h('section', {}, h('h1', {}, 'Set up a new device'),
    h('p', {}, 'Puts a device in setup mode on the home Wi-Fi, then adopts it. The password is sent to the device only; the bridge keeps it nowhere.'),
    form, steps, result)
}
