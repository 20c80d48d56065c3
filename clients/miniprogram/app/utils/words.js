// An error in a person's words, never a raw code. `context` picks a wording where the same code
// means something else (pairing: forbidden is a wrong code, bad_request a malformed one).
function words (error, t, context) {
  const code = (error && error.code) || 'internal'
  if (context === 'pair' && code === 'forbidden') return t.errors.pairForbidden
  if (context === 'pair' && code === 'bad_request') return t.errors.badCode
  if (code === 'provision_failed' && error.message) return t.errors.provision_failed + '：' + error.message
  return Object.prototype.hasOwnProperty.call(t.errors, code) ? t.errors[code] : t.errors.internal
}

module.exports = { words }
