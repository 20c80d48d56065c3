// The home by room: a card per device with live state, the path (at home / remote), scenes when
// the bridge has them. Unpaired phones go to the pairing page.
const { texts, lang } = require('../../utils/i18n.js')
const { byRoom } = require('../../utils/devices.js')
const { words } = require('../../utils/words.js')

Component({
  data: { t: {}, rooms: [], path: null, hasScenes: false, error: '', loading: true },
  methods: {
    onLoad () {
      const t = texts()
      this.setData({ t })
      this.client = getApp().client
      if (!this.client.bridge) return wx.redirectTo({ url: '/pages/pair/pair' })
      this.devices = {}
      this.handlers = {
        state: e => this.patch(e.device, { state: e.state }),
        online: e => this.patch(e.device, { online: e.online }),
        device_added: e => this.put(e.device),
        device_changed: e => this.put(e.device),
        device_removed: e => this.drop(e.device),
        path: path => this.setData({ path })
      }
      Object.keys(this.handlers).forEach(k => this.client.on(k, this.handlers[k]))
      return this.refresh()
    },
    onUnload () {
      if (this.handlers) Object.keys(this.handlers).forEach(k => this.client.off(k, this.handlers[k]))
    },
    onPullDownRefresh () {
      return this.refresh().then(() => wx.stopPullDownRefresh())
    },
    refresh () {
      this.setData({ loading: true, error: '' })
      return this.client.connect()
        .then(() => this.client.devices())
        .then(list => {
          this.devices = {}
          list.forEach(d => { this.devices[d.id] = d })
          this.render()
          this.setData({ loading: false, path: this.client.path })
          return this.client.request('scenes').then(r => this.setData({ hasScenes: r.scenes.length > 0 }), () => this.setData({ hasScenes: false }))
        }, e => this.setData({ loading: false, error: words(e, this.data.t) }))
    },
    patch (id, change) {
      if (!this.devices[id]) return
      this.devices[id] = Object.assign({}, this.devices[id], change)
      this.render()
    },
    put (device) {
      this.devices[device.id] = device
      this.render()
    },
    drop (id) {
      delete this.devices[id]
      this.render()
    },
    render () {
      this.setData({ rooms: byRoom(Object.keys(this.devices).map(k => this.devices[k]), this.data.t, lang()) })
    },
    onCardState (e) {
      this.patch(e.detail.device, { state: e.detail.state })
    },
    openScenes () { wx.navigateTo({ url: '/pages/scenes/scenes' }) },
    openInstaller () { wx.navigateTo({ url: '/pages/installer/installer' }) }
  }
})
