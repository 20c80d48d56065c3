// The app's own settings. The relay must be a wss:// domain configured for the mini-program
// (mp.weixin.qq.com > Development > Server domains); null: LAN only.
module.exports = {
  relay: null
}
