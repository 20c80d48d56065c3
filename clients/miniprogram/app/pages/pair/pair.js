// Pairing: the 6-digit code the bridge shows, exchanged for this phone's token on the home Wi-Fi.
const { texts } = require('../../utils/i18n.js')
const { words } = require('../../utils/words.js')

Component({
  data: { t: {}, code: '', name: '', address: '', busy: false, error: '', hint: '' },
  methods: {
    onLoad () {
      const t = texts()
      this.setData({ t, name: t.myPhone })
    },
    typeCode (e) { this.setData({ code: String(e.detail.value).replace(/\D/g, '').slice(0, 6), error: '' }) },
    typeName (e) { this.setData({ name: e.detail.value }) },
    typeAddress (e) { this.setData({ address: e.detail.value.trim() }) },
    submit () {
      const t = this.data.t
      if (this.data.busy) return Promise.resolve()
      if (!/^\d{6}$/.test(this.data.code)) return Promise.resolve(this.setData({ error: t.errors.badCode }))
      const client = getApp().client
      this.setData({ busy: true, error: '', hint: '' })
      const request = { code: this.data.code, name: this.data.name || t.myPhone }
      if (this.data.address) request.address = this.data.address
      return client.pair(request)
        .then(() => client.connect())
        .then(() => {
          this.setData({ busy: false })
          wx.reLaunch({ url: '/pages/home/home' })
        }, e => {
          const ios = /ios/i.test(wx.getSystemInfoSync().platform || '')
          this.setData({ busy: false, error: words(e, t, 'pair'), hint: e.code === 'unreachable' && ios ? t.iosLocalNetwork : '' })
        })
    }
  }
})
