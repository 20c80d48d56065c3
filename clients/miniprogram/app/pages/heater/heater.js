// A water heater: power, target water temperature in its steps, the water's temperature now.
const devicePage = require('../../behaviors/device-page.js')
const { stepped } = require('../../utils/devices.js')

Component({
  behaviors: [devicePage],
  methods: {
    warmer () { return this.step(1) },
    cooler () { return this.step(-1) },
    step (delta) {
      const cap = this.data.device.capabilities.target_temperature
      return this.apply({ target_temperature: stepped(this.data.device.state.target_temperature, cap, delta) })
    }
  }
})
