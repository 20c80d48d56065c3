// The bridge's scenes; running one tells which devices did not follow, in a person's words.
const { texts } = require('../../utils/i18n.js')
const { words } = require('../../utils/words.js')

Component({
  data: { t: {}, scenes: [], running: '', result: '', error: '' },
  methods: {
    onLoad () {
      const t = texts()
      this.setData({ t })
      this.client = getApp().client
      return this.client.request('scenes').then(r => this.setData({ scenes: r.scenes }), e => this.setData({ error: words(e, t) }))
    },
    run (e) {
      const t = this.data.t
      const scene = e.currentTarget.dataset.scene
      if (this.data.running) return Promise.resolve()
      this.setData({ running: scene, result: '', error: '' })
      return this.client.request('scene_run', { scene }).then(r => {
        const failed = (r.results || []).filter(x => !x.ok)
        const name = id => { const d = this.client.cached(id); return d ? d.name : id }
        this.setData({
          running: '',
          result: failed.length ? t.scenePartly + failed.map(x => name(x.device) + '（' + words(x.error, t) + '）').join('、') : t.sceneDone
        })
      }, err => this.setData({ running: '', error: words(err, t) }))
    }
  }
})
