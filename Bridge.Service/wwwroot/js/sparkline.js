// A temperature over the last hours as a small SVG line (history from the bridge's `history` op,
// then live values from state events).
import { svg, clock } from './dom.js'

const WIDTH = 120
const HEIGHT = 28
const MAX_POINTS = 480

export function createSparkline (points) {
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
