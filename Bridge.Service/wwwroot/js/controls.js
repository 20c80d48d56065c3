// One row per capability of a device: its live value (data-state/data-value) and, when writable,
// its control (data-control): a switch for power, a number input for numbers, a select for enums.
import { h } from './dom.js'

const LABELS = {
  power: 'Power', brightness: 'Brightness', color_temp: 'Colour temperature', mode: 'Mode', fan_speed: 'Fan',
  target_temperature: 'Target', current_temperature: 'Temperature'
}

export const label = name => LABELS[name] || name.replace(/_/g, ' ')

function isNumber (cap) { return cap.type === 'int' || cap.type === 'number' }

/** The text a person reads for a value: "80 %", "26.5 °C", "on". */
export function display (cap, value) {
  if (value === undefined || value === null) return '—'
  return isNumber(cap) && cap.unit ? `${value} ${cap.unit}` : String(value)
}

/**
 * Builds the row; returns { row, update(value), fail(message) }.
 * send(capability, value) → Promise (rejects with a BridgeError whose message is shown beside the control).
 */
export function capabilityRow (deviceId, name, cap, value, send) {
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
