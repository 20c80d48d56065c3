// An air conditioner: power, mode, fan, target temperature in its steps (±0.5 ℃), room temperature.
const devicePage = require('../../behaviors/device-page.js')
const { stepped } = require('../../utils/devices.js')

Component({
  behaviors: [devicePage],
  data: { modes: [], fans: [] },
  methods: {
    view (device) {
      const caps = device.capabilities || {}
      const t = this.data.t
      const choices = (cap, names, current) => ((caps[cap] && caps[cap].values) || []).map(v => ({ value: v, name: names[v] || v, on: v === current }))
      return { modes: choices('mode', t.modes, device.state.mode), fans: choices('fan_speed', t.fans, device.state.fan_speed) }
    },
    warmer () { return this.step(1) },
    cooler () { return this.step(-1) },
    step (delta) {
      const cap = this.data.device.capabilities.target_temperature
      return this.apply({ target_temperature: stepped(this.data.device.state.target_temperature, cap, delta) })
    },
    mode (e) { return this.apply({ mode: e.currentTarget.dataset.value }) },
    fan (e) { return this.apply({ fan_speed: e.currentTarget.dataset.value }) }
  }
})
