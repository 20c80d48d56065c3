// What any page costs in this browser on this machine at this moment, for docs/benchmarks.md
// ("Issue #12"): two trivial pages on loopback that console-bench.js and console-trace.js measure
// the way they measure the console (the first element matching `[data-device] [data-control]`).
//   node floor.js            → prints "Floor: http://127.0.0.1:PORT/" and serves until killed
//   /static.html             the card is in the HTML: the document alone
//   /module.html             one stylesheet and one ES module that inserts the card
// The same headers as the bridge's (CSP, no referrer, gzip when asked), so only the console's own
// work separates its figure from these.
const http = require('http')
const zlib = require('zlib')

const CARD = '<article data-device="floor" data-online="true"><h3>Lamp</h3>' +
  '<span data-state="power" data-value="on">on</span>' +
  '<button type="button" role="switch" aria-checked="true" data-control="power">Power</button></article>'
const HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Floor</title>'

const FILES = {
  '/static.html': ['text/html', HEAD + '</head><body><main>' + CARD + '</main></body></html>'],
  '/module.html': ['text/html', HEAD + '<link rel="stylesheet" href="card.css"><script type="module" src="card.js"></script></head><body><main><p>Loading…</p></main></body></html>'],
  '/card.css': ['text/css', 'body { margin: 0; font: 16px/1.45 system-ui, sans-serif; } article { border: 1px solid #ccc; border-radius: 10px; padding: 12px; }'],
  '/card.js': ['text/javascript', `document.querySelector('main').innerHTML = ${JSON.stringify(CARD)}`]
}

const server = http.createServer((req, res) => {
  const file = FILES[new URL(req.url, 'http://x').pathname]
  if (!file) { res.writeHead(404); return res.end() }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '')
  const body = gzip ? zlib.gzipSync(file[1]) : Buffer.from(file[1])
  res.writeHead(200, {
    'Content-Type': file[0] + '; charset=utf-8',
    'Content-Length': body.length,
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache'
  })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(`Floor: http://127.0.0.1:${server.address().port}/`))
