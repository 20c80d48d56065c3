// What a scene or a timer does: for each device, the values it is set to. One group per device
// with a field per writable capability; an empty field leaves that capability as it is.
import { h, byText } from './dom.js'
import { label } from './home.js'

function isNumber (cap) { return cap.type === 'int' || cap.type === 'number' }

function field (device, name, cap, value) {
  const id = `a-${device.id}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_')
  const given = value === undefined || value === null ? '' : String(value)
  const control = isNumber(cap)
    ? h('input', { type: 'number', id, min: cap.min, max: cap.max, step: cap.step || (cap.type === 'int' ? 1 : 'any'), value: given, 'data-capability': name, placeholder: 'as it is' })
    : h('select', { id, 'data-capability': name },
      h('option', { value: '' }, 'as it is'),
      (cap.values || []).map(v => h('option', { value: v, selected: v === given }, v)))
  const unit = isNumber(cap) && cap.unit ? h('span', { class: 'value' }, cap.unit) : null
  return { name, cap, control, el: h('div', { class: 'cap' }, h('label', { for: id }, label(name)), control, unit) }
}

/**
 * An editor over every device the page knows, filled from `actions` ([{device, state}]).
 * → { el, value() → actions with at least one capability each, showError(message) }
 */
export function actionsEditor (devices, actions) {
  const given = new Map((actions || []).map(a => [a.device, a.state || {}]))
  const groups = []
  const list = [...devices].sort((a, b) => byText(a.room || '', b.room || '') || byText(a.name, b.name))
  // A device the bridge no longer lists keeps its action (shown, not editable), so a save loses nothing.
  const missing = (actions || []).filter(a => !devices.some(d => d.id === a.device))
  for (const device of list) {
    const state = given.get(device.id) || {}
    const fields = Object.entries(device.capabilities || {}).filter(([, cap]) => !cap.read_only).map(([name, cap]) => field(device, name, cap, state[name]))
    if (!fields.length) continue
    const error = h('p', { class: 'error', role: 'alert' })
    const el = h('fieldset', { class: 'device-actions', 'data-device-actions': device.id },
      h('legend', {}, device.name, device.room ? h('span', { class: 'value' }, ` · ${device.room}`) : null),
      fields.map(f => f.el), error)
    groups.push({ device, fields, el, error })
  }

  function value () {
    const out = groups.map(g => {
      const state = {}
      for (const f of g.fields) {
        const text = f.control.value.trim()
        if (text !== '') state[f.name] = isNumber(f.cap) ? Number(text) : text
      }
      return { device: g.device.id, state }
    }).filter(a => Object.keys(a.state).length)
    return out.concat(missing)
  }

  /** The bridge names the action ("action 2 (device 'lamp-1'): …"): the message goes beside that device's fields. */
  function showError (message) {
    for (const g of groups) {
      g.error.textContent = ''
      for (const f of g.fields) f.control.removeAttribute('aria-invalid')
    }
    const m = /^action (\d+) \(device '([^']*)'\): (.*)$/s.exec(message || '')
    if (!m) return false
    const sent = value()[Number(m[1])]
    const g = groups.find(x => sent && x.device.id === sent.device)
    if (!g) return false
    g.error.textContent = m[3]
    const f = g.fields.find(x => m[3].includes(`'${x.name}'`)) || g.fields.find(x => x.control.value !== '')
    if (f) { f.control.setAttribute('aria-invalid', 'true'); f.control.setAttribute('aria-describedby', g.error.id = `e-${f.control.id}`) }
    return true
  }

  const el = h('div', { class: 'actions-editor' },
    groups.length ? groups.map(g => g.el) : h('p', { class: 'empty' }, 'No device with a setting to change.'),
    missing.length ? h('p', { class: 'empty' }, `Also sets ${missing.length} device(s) the bridge does not list now; kept as they are.`) : null)
  return { el, value, showError }
}

/** "Lamp: power on, brightness 40 %; Air conditioner: off" for a list. */
export function describeActions (actions, nameOf) {
  return (actions || []).map(a => `${nameOf(a.device)}: ${Object.entries(a.state || {}).map(([k, v]) => `${label(k)} ${v}`).join(', ')}`).join('; ')
}
