'use strict'
// Phone-side SoftAP provisioning; filled in below.
const { BridgeError } = require('./core.js')

async function provisionSoftAp () {
  throw new BridgeError('provision_failed', 'not available yet')
}

module.exports = { provisionSoftAp }
