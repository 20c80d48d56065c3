// What the home page and the cards show about a device.

/** The page that controls a device of this kind, or null (plugs and sensors have only the card). */
function pageOf (kind) {
  return { light: 'lamp', air_conditioner: 'ac', water_heater: 'heater' }[kind] || null
}

/** One line for a card: "80% · 2700K", "制冷 24℃ · 室温 27.5℃", "55℃". */
function summary (device, t) {
  const s = (device && device.state) || {}
  const parts = []
  if (s.power === 'off') return t.off
  if (typeof s.brightness === 'number') parts.push(s.brightness + '%')
  if (typeof s.color_temp === 'number') parts.push(s.color_temp + 'K')
  if (s.mode && t.modes[s.mode]) parts.push(t.modes[s.mode])
  if (typeof s.target_temperature === 'number') parts.push(s.target_temperature + '℃')
  if (typeof s.current_temperature === 'number') parts.push(t.room + ' ' + s.current_temperature + '℃')
  if (!parts.length && s.power === 'on') parts.push(t.on)
  return parts.join(' · ')
}

/** Devices grouped by room, rooms by name (pinyin order in Chinese), devices without a room last. */
function byRoom (devices, t, language) {
  const rooms = {}
  for (const d of devices) {
    const name = d.room || ''
    ;(rooms[name] = rooms[name] || []).push(d)
  }
  const order = (a, b) => a.localeCompare(b, language === 'en' ? 'en' : 'zh-CN')
  return Object.keys(rooms).sort((a, b) => (a === '') - (b === '') || order(a, b))
    .map(name => ({ name: name || t.otherRoom, devices: rooms[name].sort((a, b) => order(a.name, b.name)) }))
}

/** A number moved by `delta` steps of the capability, kept within its range. */
function stepped (value, capability, delta) {
  const step = capability.step || 1
  const next = Math.round(((value || capability.min || 0) + delta * step) / step) * step
  return Math.min(capability.max, Math.max(capability.min, Number(next.toFixed(2))))
}

module.exports = { pageOf, summary, byRoom, stepped }
