// Builds DOM nodes. Text is always set as text (textContent), never parsed as HTML, so a device
// named "<script>…" shows those characters and runs nothing.

/**
 * h('button', { class: 'x', onclick: fn, 'aria-label': 'y' }, 'text', otherNode)
 * Attributes whose value is null, undefined or false are left out; `on…` keys add listeners.
 */
export function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (key === 'value' || key === 'checked' || key === 'disabled') el[key] = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

export function svg (tag, attrs) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag)
  for (const [key, value] of Object.entries(attrs || {})) if (value != null) el.setAttribute(key, String(value))
  return el
}

function append (el, children) {
  for (const child of children) {
    if (child == null || child === false) continue
    if (Array.isArray(child)) append(el, child)
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/** Replaces everything inside `el` with `children`. */
export function fill (el, ...children) {
  el.replaceChildren()
  append(el, children)
  return el
}

/** "12 s ago", "3 min ago", "2 h ago". */
export function ago (time, now = Date.now()) {
  const s = Math.max(0, Math.round((now - time) / 1000))
  if (s < 60) return s + ' s ago'
  if (s < 3600) return Math.round(s / 60) + ' min ago'
  return Math.round(s / 3600) + ' h ago'
}

/**
 * "14:05:09" in the browser's time zone. By hand: the first toLocaleTimeString loads ICU's
 * date-format data, 30–180 ms that the first render of the home cannot afford (docs/benchmarks.md).
 */
export function clock (time) {
  const d = new Date(time)
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map(n => String(n).padStart(2, '0')).join(':')
}

/** Orders names case-insensitively by code point: localeCompare's first call loads a collator (~15 ms). */
export function byText (a, b) {
  const x = String(a).toLowerCase()
  const y = String(b).toLowerCase()
  return x < y ? -1 : x > y ? 1 : 0
}
