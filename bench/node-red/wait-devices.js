#!/usr/bin/env node
'use strict';
// Waits until a DeviceBridge-style API lists at least N online devices: connects to URL with
// "Authorization: Bearer TOKEN", asks {"op":"devices"} every 200 ms. Exit 0 when enough are
// online, 1 after TIMEOUT seconds (printing the last count), for both the bridge and the flow.
//
//   node wait-devices.js --url ws://127.0.0.1:PORT/api/v1/ws --token T --count N [--timeout S]
const WebSocket = require('ws');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const want = Number(args.count || 1);
const deadline = Date.now() + 1000 * Number(args.timeout || 60);
let last = 'no connection';

function attempt() {
  if (Date.now() > deadline) {
    process.stderr.write(`wait-devices: gave up after ${args.timeout || 60} s (${last})\n`);
    process.exit(1);
  }
  const ws = new WebSocket(args.url, { headers: { Authorization: `Bearer ${args.token}` } });
  let n = 0;
  let timer = null;
  const ask = () => ws.send(JSON.stringify({ id: `w${n++}`, op: 'devices' }));
  ws.on('open', ask);
  ws.on('message', (data) => {
    let reply;
    try { reply = JSON.parse(data.toString()); } catch { return; }
    if (!reply.ok || !Array.isArray(reply.devices)) { last = data.toString().slice(0, 200); return; }
    const online = reply.devices.filter((d) => d.online).length;
    last = `${online} of ${reply.devices.length} devices online`;
    if (online >= want) {
      process.stdout.write(`${last}\n`);
      ws.close();
      process.exit(0);
    }
    if (Date.now() > deadline) attempt();
    else timer = setTimeout(ask, 200);
  });
  ws.on('error', (e) => { last = e.message; });
  ws.on('close', () => { clearTimeout(timer); setTimeout(attempt, 200); });
}
attempt();
