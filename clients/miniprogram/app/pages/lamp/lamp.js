// A lamp: power, brightness, colour temperature (when it has one).
const devicePage = require('../../behaviors/device-page.js')

Component({
  behaviors: [devicePage],
  data: { ct: null },
  methods: {
    view (device) {
      return { ct: (device.capabilities && device.capabilities.color_temp) || null }
    },
    brightness (e) { return this.apply({ brightness: Number(e.detail.value) }) },
    colorTemp (e) { return this.apply({ color_temp: Number(e.detail.value) }) }
  }
})
