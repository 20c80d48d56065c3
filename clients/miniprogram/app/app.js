// One client for the whole app: pages reach it with getApp().client.
const { createClient } = require('devicebridge-miniprogram')
const config = require('./config.js')

App({
  client: null,
  onLaunch () {
    this.client = createClient({ wx, relay: config.relay })
  }
})
