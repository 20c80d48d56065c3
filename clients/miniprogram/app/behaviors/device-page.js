// What the lamp, AC and water heater pages share: the device by id (cached at once, then fresh),
// its live state from events, and `apply(change)` sending a set and showing the confirmed state or
// the error in a person's words.
const { texts } = require('../utils/i18n.js')
const { words } = require('../utils/words.js')

module.exports = Behavior({
  data: { t: {}, device: null, busy: false, error: '' },
  methods: {
    onLoad (query) {
      const t = texts()
      this.setData({ t })
      this.client = getApp().client
      this.deviceId = decodeURIComponent(query.id)
      this.onState = e => { if (e.device === this.deviceId && this.data.device) this.show(Object.assign({}, this.data.device, { state: e.state })) }
      this.onOnline = e => { if (e.device === this.deviceId && this.data.device) this.show(Object.assign({}, this.data.device, { online: e.online })) }
      this.client.on('state', this.onState)
      this.client.on('online', this.onOnline)
      const cached = this.client.cached(this.deviceId)
      if (cached) this.show(cached)
      return this.client.get(this.deviceId).then(d => this.show(d), e => this.setData({ error: words(e, t) }))
    },
    onUnload () {
      this.client.off('state', this.onState)
      this.client.off('online', this.onOnline)
    },
    show (device) {
      if (device.name && wx.setNavigationBarTitle) wx.setNavigationBarTitle({ title: device.name })
      this.setData(Object.assign({ device }, this.view ? this.view(device) : {}))
    },
    apply (change) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: true, error: '' })
      return this.client.set(this.deviceId, change).then(state => {
        this.setData({ busy: false })
        this.show(Object.assign({}, this.data.device, { state }))
      }, e => this.setData({ busy: false, error: words(e, this.data.t) }))
    },
    togglePower () {
      return this.apply({ power: this.data.device.state.power === 'on' ? 'off' : 'on' })
    }
  }
})
