// A device on the home page: name, online badge, live state in one line, a power switch; a tap
// opens the device's own page.
const { summary, pageOf } = require('../../utils/devices.js')
const { words } = require('../../utils/words.js')

Component({
  properties: {
    device: { type: Object, value: null },
    t: { type: Object, value: {} }
  },
  data: { line: '', hasPower: false, powered: false, busy: false, error: '' },
  observers: {
    'device, t' (device, t) {
      if (!device || !t.errors) return
      this.setData({
        line: summary(device, t),
        hasPower: !!(device.capabilities && device.capabilities.power),
        powered: device.state && device.state.power === 'on'
      })
    }
  },
  methods: {
    open () {
      const page = pageOf(this.data.device.kind)
      if (page) wx.navigateTo({ url: '/pages/' + page + '/' + page + '?id=' + encodeURIComponent(this.data.device.id) })
    },
    toggle () {
      const device = this.data.device
      if (this.data.busy || !device.online) return
      const power = this.data.powered ? 'off' : 'on'
      this.setData({ busy: true, error: '' })
      return getApp().client.set(device.id, { power }).then(state => {
        this.setData({ busy: false })
        this.triggerEvent('state', { device: device.id, state })
      }, e => {
        this.setData({ busy: false, error: words(e, this.data.t) })
      })
    }
  }
})
