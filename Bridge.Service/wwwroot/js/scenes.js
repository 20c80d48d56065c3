// Scenes and timers: listed, run, made, edited, paused or resumed, and deleted through the
// household ops (scenes, scene_save, scene_run, scene_delete, timers, timer_save, timer_delete).
// Loaded only when the page is opened. Timers update when the bridge reports one ran (timer_ran).
import { h, fill } from './dom.js'
import { actionsEditor, describeActions } from './actions.js'

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const DAY_NAMES = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' }

/** A new id from a name: the bridge takes letters, digits, '-', '_' and '.', and a save replaces the same id. */
export function idFor (name, taken) {
  const base = (name.normalize('NFKC').replace(/[^\p{L}\p{N}_.-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'item').toLowerCase()
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  return id
}

export function daysText (days) {
  if (!days || days.length === 7) return 'every day'
  if (days.join() === 'mon,tue,wed,thu,fri') return 'Mon–Fri'
  if (days.join() === 'sat,sun') return 'weekends'
  return days.map(d => DAY_NAMES[d] || d).join(', ')
}

/** "Tue 06:30" from the bridge's "2026-03-10T06:30:00+08:00", in the home's own time (as written). */
function nextText (iso) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d)/.exec(iso || '')
  if (!m) return 'paused'
  const day = DAYS[(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() + 6) % 7]
  return `next ${DAY_NAMES[day]} ${m[2]}-${m[3]} ${m[4]}`
}

function failure (el, e) { fill(el, h('p', { class: 'error', role: 'alert' }, (e && e.message) || String(e))) }

export function scenesPage (app) {
  const status = h('p', { role: 'status', 'data-status': '' })
  const scenesEl = h('div', {}, 'Loading…')
  const timersEl = h('div', {})
  const editor = h('div', {})
  let scenes = []
  let timers = []
  const lastRun = new Map() // timer id → text, from timer_ran events while this page is open
  const nameOf = id => { const d = app.core.cached(id); return d ? d.name : id }
  const sceneName = id => (scenes.find(s => s.id === id) || { name: id }).name

  async function load () {
    try {
      const [s, t] = await Promise.all([app.request('scenes'), app.has('timers') ? app.request('timers') : { timers: [] }])
      scenes = s.scenes || []
      timers = t.timers || []
      showScenes()
      showTimers()
    } catch (e) { failure(scenesEl, e) }
  }

  async function act (text, work) {
    status.textContent = text
    try { status.textContent = (await work()) || '' } catch (e) { status.textContent = e.message }
  }

  function showScenes () {
    fill(scenesEl, scenes.length
      ? h('ul', { class: 'list' }, scenes.map(s => h('li', { 'data-scene': s.id },
        h('strong', {}, s.name), h('p', { class: 'meta' }, describeActions(s.actions, nameOf)),
        h('div', { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Run ${s.name}`, onclick: () => act(`Running ${s.name}…`, () => run(s)) }, 'Run'),
          h('button', { type: 'button', 'aria-label': `Edit ${s.name}`, onclick: () => sceneForm(s) }, 'Edit'),
          h('button', { type: 'button', 'aria-label': `Delete ${s.name}`, onclick: () => act(`Deleting ${s.name}…`, () => remove('scene_delete', { scene: s.id }, s.name)) }, 'Delete')))))
      : h('p', { class: 'empty' }, 'No scenes yet.'),
    h('button', { type: 'button', onclick: () => sceneForm(null) }, 'New scene'))
  }

  function showTimers () {
    if (!app.has('timers')) return
    fill(timersEl, timers.length
      ? h('ul', { class: 'list' }, timers.map(t => h('li', { 'data-timer': t.id, 'data-enabled': String(t.enabled !== false) },
        h('strong', {}, t.name), ' ',
        h('span', {}, `${t.at}, ${daysText(t.days)}: ${t.scene ? 'scene ' + sceneName(t.scene) : describeActions(t.actions, nameOf)}`),
        h('p', { class: 'meta', 'data-next': '' }, t.enabled === false ? 'paused' : nextText(t.next), lastRun.has(t.id) ? ` · ${lastRun.get(t.id)}` : ''),
        h('div', { class: 'actions' },
          h('button', {
            type: 'button', role: 'switch', class: 'switch', 'aria-checked': String(t.enabled !== false), 'aria-label': `${t.name} on`,
            onclick: () => act(t.enabled === false ? `Resuming ${t.name}…` : `Pausing ${t.name}…`, () => saveTimer({ ...strip(t), enabled: t.enabled === false }))
          }, h('span', { class: 'knob', 'aria-hidden': 'true' })),
          h('button', { type: 'button', 'aria-label': `Edit ${t.name}`, onclick: () => timerForm(t) }, 'Edit'),
          h('button', { type: 'button', 'aria-label': `Delete ${t.name}`, onclick: () => act(`Deleting ${t.name}…`, () => remove('timer_delete', { timer: t.id }, t.name)) }, 'Delete')))))
      : h('p', { class: 'empty' }, 'No timers yet.'),
    h('button', { type: 'button', onclick: () => timerForm(null) }, 'New timer'))
  }

  async function run (s) {
    const r = await app.request('scene_run', { scene: s.id }, 30000)
    const failed = (r.results || []).filter(x => !x.ok)
    return failed.length
      ? `${s.name}: ${failed.length} of ${r.results.length} devices failed (${failed.map(f => `${nameOf(f.device)}: ${f.error.message}`).join('; ')})`
      : `${s.name} done`
  }

  async function remove (op, fields, name) {
    await app.request(op, fields)
    await load()
    return `${name} deleted`
  }

  /** A timer as timer_save takes it: without what the bridge adds (next). */
  function strip (t) {
    const out = { id: t.id, name: t.name, at: t.at, days: t.days, enabled: t.enabled !== false }
    if (t.scene) out.scene = t.scene; else out.actions = t.actions
    return out
  }

  async function saveTimer (timer) {
    await app.request('timer_save', { timer })
    await load()
    return `${timer.name} saved`
  }

  /** A form in place of the editor area; `save(values)` → message, or throws to show the bridge's error. */
  function openForm (kind, title, fields, save, actions) {
    const error = h('p', { class: 'error', role: 'alert' })
    const form = h('form', {
      class: 'card', 'data-form': kind, novalidate: true,
      onsubmit: async e => {
        e.preventDefault()
        error.textContent = ''
        try {
          const message = await save()
          fill(editor)
          status.textContent = message
        } catch (err) {
          // The bridge names the action that is wrong: shown beside that device when it can be.
          if (!(actions && actions.showError(err.message))) error.textContent = err.message
          else error.textContent = 'The bridge did not accept a setting; it is marked above.'
        }
      }
    },
    h('h2', {}, title), fields, error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save'), h('button', { type: 'button', onclick: () => fill(editor) }, 'Cancel')))
    fill(editor, form)
    form.querySelector('input, select').focus()
  }

  function sceneForm (scene) {
    const name = h('input', { id: 'scene-name', value: scene ? scene.name : '', maxlength: 64, required: true })
    const actions = actionsEditor(app.core.cached(), scene && scene.actions)
    openForm('scene', scene ? `Edit ${scene.name}` : 'New scene',
      [h('label', { for: 'scene-name' }, 'Name'), name, h('h3', {}, 'Sets'), actions.el],
      async () => {
        const n = name.value.trim()
        if (!n) throw new Error('Give the scene a name.')
        const list = actions.value()
        if (!list.length) throw new Error('Choose at least one setting for the scene.')
        await app.request('scene_save', { scene: { id: scene ? scene.id : idFor(n, new Set(scenes.map(s => s.id))), name: n, actions: list } })
        await load()
        return `${n} saved`
      }, actions)
  }

  function timerForm (timer) {
    const name = h('input', { id: 'timer-name', value: timer ? timer.name : '', maxlength: 64, required: true })
    const at = h('input', { id: 'timer-at', type: 'time', step: 60, value: timer ? timer.at : '07:00', required: true })
    const chosen = new Set(timer ? timer.days : DAYS)
    const days = DAYS.map(d => h('label', { class: 'day' }, h('input', { type: 'checkbox', value: d, checked: chosen.has(d) }), ' ', DAY_NAMES[d]))
    const useScene = h('input', { type: 'radio', name: 'timer-runs', id: 'timer-runs-scene', checked: !timer || !!timer.scene, disabled: !scenes.length })
    const useActions = h('input', { type: 'radio', name: 'timer-runs', id: 'timer-runs-actions', checked: (timer && !timer.scene) || !scenes.length })
    const scene = h('select', { id: 'timer-scene', 'aria-label': 'Scene to run' }, scenes.map(s => h('option', { value: s.id, selected: timer && timer.scene === s.id }, s.name)))
    const actions = actionsEditor(app.core.cached(), timer && timer.actions)
    const enabled = h('input', { type: 'checkbox', id: 'timer-enabled', checked: !timer || timer.enabled !== false })
    const showChoice = () => { scene.disabled = !useScene.checked; actions.el.hidden = !useActions.checked }
    useScene.addEventListener('change', showChoice)
    useActions.addEventListener('change', showChoice)
    showChoice()
    openForm('timer', timer ? `Edit ${timer.name}` : 'New timer', [
      h('label', { for: 'timer-name' }, 'Name'), name,
      h('label', { for: 'timer-at' }, 'At (the home\'s time)'), at,
      h('fieldset', { class: 'days' }, h('legend', {}, 'Days'), days),
      h('fieldset', {}, h('legend', {}, 'Runs'),
        h('label', { for: 'timer-runs-scene' }, useScene, ' a scene'), scene,
        h('label', { for: 'timer-runs-actions' }, useActions, ' its own settings'), actions.el),
      h('label', { for: 'timer-enabled' }, enabled, ' On')
    ], async () => {
      const n = name.value.trim()
      if (!n) throw new Error('Give the timer a name.')
      if (!/^\d\d:\d\d$/.test(at.value)) throw new Error('Choose a time of day.')
      const picked = days.map(l => l.querySelector('input')).filter(c => c.checked).map(c => c.value)
      if (!picked.length) throw new Error('Choose at least one day.')
      const t = { id: timer ? timer.id : idFor(n, new Set(timers.map(x => x.id))), name: n, at: at.value, days: picked, enabled: enabled.checked }
      if (useScene.checked) t.scene = scene.value
      else {
        t.actions = actions.value()
        if (!t.actions.length) throw new Error('Choose at least one setting for the timer.')
      }
      return saveTimer(t)
    }, actions)
  }

  const onRan = e => {
    // Left with the page: the first event after it is gone removes the handler.
    if (!timersEl.isConnected) return app.core.off('timer_ran', onRan)
    const results = e.results || []
    const failed = results.filter(r => !r.ok).length
    lastRun.set(e.timer, `ran just now${failed ? `, ${failed} of ${results.length} failed` : ''}`)
    load()
  }
  app.core.on('timer_ran', onRan)

  load()
  return h('section', {}, h('h1', {}, 'Scenes and timers'),
    h('p', {}, 'A scene sets several devices at once; a timer runs a scene, or its own settings, at a time of day.'),
    status, editor,
    h('h2', {}, 'Scenes'), scenesEl,
    app.has('timers') ? [h('h2', {}, 'Timers'), timersEl] : null)
}
