// For installers: with the phone on a new device's own access point, give it the home's Wi-Fi
// (ESP-IDF provisioning, Shelly Gen2+, Tasmota). The bridge then finds and adopts it on the LAN.
const { texts } = require('../../utils/i18n.js')
const { words } = require('../../utils/words.js')

Component({
  data: { t: {}, address: '192.168.4.1', ssid: '', password: '', pop: '', busy: false, done: '', error: '' },
  methods: {
    onLoad () { this.setData({ t: texts() }) },
    type (e) { this.setData({ [e.currentTarget.dataset.field]: e.detail.value, error: '' }) },
    start () {
      const t = this.data.t
      if (this.data.busy) return Promise.resolve()
      if (!this.data.ssid) return Promise.resolve(this.setData({ error: t.errors.bad_request }))
      this.setData({ busy: true, done: '', error: '' })
      const { address, ssid, password, pop } = this.data
      return getApp().client.provisionSoftAp({ address, ssid, password, pop: pop || undefined }).then(r => {
        this.setData({ busy: false, done: (t.kinds[r.kind] || r.kind) + '：' + t.installDone })
      }, e => this.setData({ busy: false, error: words(e, t) }))
    }
  }
})
