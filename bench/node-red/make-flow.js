#!/usr/bin/env node
'use strict';
// Writes flow.json from the function bodies in functions/*.js (edit those, then run
// `node make-flow.js`). The broker's host and port come from the environment when Node-RED
// starts (MQTT_HOST, MQTT_PORT: Node-RED substitutes "${VAR}" in node properties).
const fs = require('fs');
const path = require('path');

const fn = (name) => fs.readFileSync(path.join(__dirname, 'functions', name + '.js'), 'utf8');
const tab = 'bench-tab';
const broker = 'bench-broker';
const listener = 'bench-ws';

const common = { z: tab };
function func(id, name, outputs, wires, x, y) {
  return {
    id, type: 'function', ...common, name, func: fn(name), outputs, timeout: 0, noerr: 0,
    initialize: '', finalize: '', libs: [], x, y, wires,
  };
}
function mqttIn(id, name, topic, qos, datatype, wires, x, y) {
  return { id, type: 'mqtt in', ...common, name, topic, qos: String(qos), datatype, broker, nl: false, rap: true, rh: 0, inputs: 0, x, y, wires };
}

const flow = [
  { id: tab, type: 'tab', label: 'DeviceBridge API (benchmark)', disabled: false, info: 'The bridge\'s local API over Node-RED, for the head-to-head benchmark' },
  {
    id: broker, type: 'mqtt-broker', name: 'external broker', broker: '${MQTT_HOST}', port: '${MQTT_PORT}',
    clientid: 'node-red-bench', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60',
    cleansession: true, autoUnsubscribe: true,
    birthTopic: '', birthQos: '0', birthRetain: 'false', birthPayload: '', birthMsg: {},
    closeTopic: '', closeQos: '0', closeRetain: 'false', closePayload: '', closeMsg: {},
    willTopic: '', willQos: '0', willRetain: 'false', willPayload: '', willMsg: {},
    userProps: '', sessionExpiry: '',
  },
  { id: listener, type: 'websocket-listener', path: '/api/v1/ws', wholemsg: 'false' },

  // Discovery and availability.
  mqttIn('in-discovery', 'tasmota discovery', 'tasmota/discovery/+/config', 1, 'json', [['registry']], 160, 60),
  mqttIn('in-lwt', 'tasmota LWT', 'tele/+/LWT', 1, 'utf8', [['registry']], 140, 120),
  func('registry', 'registry', 0, [], 400, 90),

  // Requests, commands, confirmations, replies.
  { id: 'ws-in', type: 'websocket in', ...common, name: 'API requests', server: listener, client: '', x: 140, y: 200, wires: [['api']] },
  func('api', 'api', 2, [['ws-out'], ['commands']], 340, 200),
  mqttIn('in-power', 'lamp power reports', 'stat/+/POWER', 1, 'utf8', [['commands']], 150, 280),
  func('commands', 'commands', 2, [['mqtt-out'], ['ws-out']], 540, 260),
  { id: 'mqtt-out', type: 'mqtt out', ...common, name: 'lamp commands', topic: '', qos: '1', retain: 'false', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker, x: 760, y: 240, wires: [] },
  { id: 'ws-out', type: 'websocket out', ...common, name: 'API replies', server: listener, client: '', x: 760, y: 200, wires: [] },
];

fs.writeFileSync(path.join(__dirname, 'flow.json'), JSON.stringify(flow, null, 2) + '\n');
console.log('wrote flow.json');
