#!/usr/bin/env node
'use strict';
// A crowd of simulated Tasmota CCT lamps (lamp-1..lamp-N) on an MQTT broker, one MQTT connection
// per lamp as real devices have. Each lamp speaks Tasmota's MQTT the way Bridge.Simulator's
// TasmotaLight does (SimulatedHome.Lamps): LWT, native discovery, cmnd/<t>/<Command> answered on
// stat/<t>/RESULT (plus stat/<t>/POWER for power changes), tele/<t>/STATE on connect and every
// TelePeriod. Both the C# bridge (through discovery) and the Node-RED flow drive these same lamps.
//
//   node lamp.js --url mqtt://127.0.0.1:1883 --count 100
//
// Prints "lamps ready: N" on stdout once every lamp is connected and announced. SIGTERM/SIGINT:
// each lamp publishes its Offline LWT itself (as a device shutting down cleanly does) and leaves.

const mqtt = require('mqtt');

function parseArgs(argv) {
  const opts = { url: 'mqtt://127.0.0.1:1883', count: 100, telePeriod: 300 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (name) {
      case '--url': opts.url = value(); break;
      case '--count': opts.count = Number(value()); break;
      case '--tele-period': opts.telePeriod = Number(value()); break;
      case '-h': case '--help':
        process.stdout.write('usage: node lamp.js --url mqtt://HOST:PORT --count N [--tele-period S]\n');
        process.exit(0);
        break;
      default:
        process.stderr.write(`lamp.js: unknown argument ${argv[i]}\n`);
        process.exit(2);
    }
  }
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 10000) {
    process.stderr.write('lamp.js: --count must be 1..10000\n');
    process.exit(2);
  }
  return opts;
}

const FIRMWARE = '14.4.1';
const SLOTS = 8;
const MIN_MIRED = 153;
const MAX_MIRED = 500;
const DIMMER_STEP = 10;
const CT_STEP = 34;

// .NET's Math.Round rounds halves to even; the C# simulator's numbers depend on it.
function roundEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const hex2 = (n) => n.toString(16).toUpperCase().padStart(2, '0');
const pad2 = (n) => String(n).padStart(2, '0');

function isInt(s) { return /^[0-9]+$/.test(s); }

// Tasmota's parameter forms: n, +, -, +n, -n, < (min), > (max); clamped to min..max.
function tryStep(arg, current, step, min, max) {
  if (arg === '') return null;
  let v;
  if (arg === '<') v = min;
  else if (arg === '>') v = max;
  else if (arg === '+') v = current + step;
  else if (arg === '-') v = current - step;
  else if (arg[0] === '+' && isInt(arg.slice(1))) v = current + Number(arg.slice(1));
  else if (arg[0] === '-' && isInt(arg.slice(1))) v = current - Number(arg.slice(1));
  else if (isInt(arg)) v = Number(arg);
  else return null;
  return clamp(v, min, max);
}

// 0/off/false, 1/on/true, 2/toggle; null when it is none of them (an empty payload is a query).
function tryPower(arg, current) {
  const a = arg.toLowerCase();
  if (a === '1' || a === 'on' || a === 'true') return true;
  if (a === '0' || a === 'off' || a === 'false') return false;
  if (a === '2' || a === 'toggle') return !current;
  return null;
}

class Lamp {
  constructor(index, url, telePeriod) {
    this.topic = `lamp-${index}`;
    this.name = `Lamp ${index}`;
    this.mac = '02DB' + index.toString(16).toUpperCase().padStart(8, '0');
    this.power = false;
    this.dimmer = 50;
    this.ct = 300;
    this.started = Date.now();
    this.connectCount = 0;
    this.telePeriod = telePeriod;
    this.cmndPrefix = `cmnd/${this.topic}/`;
    this.lwtTopic = `tele/${this.topic}/LWT`;
    this.resultTopic = `stat/${this.topic}/RESULT`;
    this.powerTopic = `stat/${this.topic}/POWER`;
    this.stateTopic = `tele/${this.topic}/STATE`;
    this.url = url;
    this.client = null;
    this.teleTimer = null;
  }

  start() {
    return new Promise((resolve) => {
      this.client = mqtt.connect(this.url, {
        clientId: this.topic,
        clean: true,
        keepalive: 30,
        reconnectPeriod: 1000,
        protocolVersion: 4,
        will: { topic: this.lwtTopic, payload: Buffer.from('Offline'), qos: 1, retain: true },
      });
      this.client.on('message', (topic, payload) => this.onCommand(topic, payload));
      this.client.on('error', (e) => process.stderr.write(`lamp.js: ${this.topic}: ${e.message}\n`));
      this.client.on('connect', () => {
        this.connectCount++;
        // No Nagle delay on the lamp's small reports (mqtt.js leaves it on; the bridge and the
        // broker here turn it off), so neither system under test waits on delayed ACKs.
        if (this.client.stream && typeof this.client.stream.setNoDelay === 'function') this.client.stream.setNoDelay(true);
        // Subscribe first, then announce, like the firmware (and the C# simulator).
        this.client.subscribe(`${this.cmndPrefix}+`, { qos: 0 }, () => {
          this.announce().then(resolve, resolve);
        });
      });
      if (this.telePeriod > 0) {
        this.teleTimer = setInterval(() => this.publishState(), this.telePeriod * 1000);
        this.teleTimer.unref();
      }
    });
  }

  publishAsync(topic, payload, opts) {
    return new Promise((resolve, reject) =>
      this.client.publish(topic, payload, opts, (err) => (err ? reject(err) : resolve())));
  }

  async announce() {
    await this.publishAsync(this.lwtTopic, 'Online', { qos: 1, retain: true });
    await this.publishAsync(`tasmota/discovery/${this.mac}/config`, JSON.stringify(this.discoveryConfig()), { qos: 1, retain: true });
    this.publishState();
  }

  // Laid out as Tasmota's discovery driver does (and Bridge.Protocols' TasmotaDiscoveryConfigWriter).
  discoveryConfig() {
    const fill = (first, rest) => [first, ...Array(SLOTS - 1).fill(rest)];
    return {
      ip: '127.0.0.1',
      dn: this.name,
      fn: fill(this.name, null),
      hn: this.topic,
      mac: this.mac,
      md: 'Generic CCT Bulb',
      ty: 0,
      if: 0,
      ofln: 'Offline',
      onln: 'Online',
      state: ['OFF', 'ON', 'TOGGLE', 'HOLD'],
      sw: FIRMWARE,
      t: this.topic,
      ft: '%prefix%/%topic%/',
      tp: ['cmnd', 'stat', 'tele'],
      rl: fill(2, 0),
      swc: Array(SLOTS).fill(-1),
      swn: Array(SLOTS).fill(null),
      btn: Array(SLOTS).fill(0),
      so: { 4: 0, 11: 0, 13: 0, 17: 0, 20: 0, 30: 0, 68: 0, 73: 0, 82: 0, 114: 0, 117: 0 },
      lk: 1,
      lt_st: 2,
      bat: 0,
      dslp: 0,
      sho: [],
      sht: [],
      ver: 1,
    };
  }

  // LightState in Tasmota's key order: POWER, Dimmer, Color, White, CT, Channel.
  lightFields(o) {
    o.POWER = this.power ? 'ON' : 'OFF';
    o.Dimmer = this.dimmer;
    const total = this.dimmer * 255 / 100;
    const warm = (this.ct - MIN_MIRED) / (MAX_MIRED - MIN_MIRED);
    const ww = roundEven(total * warm);
    const cw = roundEven(total) - ww;
    o.Color = hex2(cw) + hex2(ww);
    o.White = this.dimmer;
    o.CT = this.ct;
    o.Channel = [roundEven(cw * 100 / 255), roundEven(ww * 100 / 255)];
    return o;
  }

  stateObject() {
    const now = new Date();
    const up = Math.floor((Date.now() - this.started) / 1000);
    const o = {
      Time: `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}T${pad2(now.getHours())}:${pad2(now.getMinutes())}:${pad2(now.getSeconds())}`,
      Uptime: `${Math.floor(up / 86400)}T${pad2(Math.floor(up / 3600) % 24)}:${pad2(Math.floor(up / 60) % 60)}:${pad2(up % 60)}`,
      UptimeSec: up,
      Heap: 27,
      SleepMode: 'Dynamic',
      Sleep: 50,
      LoadAvg: 19,
      MqttCount: Math.max(1, this.connectCount),
    };
    this.lightFields(o);
    Object.assign(o, { Scheme: 0, Width: 1, Fade: 'OFF', Speed: 1, LedTable: 'ON' });
    o.Wifi = { AP: 1, SSId: 'Home', BSSId: '02:00:00:00:00:01', Channel: 6, Mode: '11n', RSSI: 86, Signal: -57, LinkCount: 1, Downtime: '0T00:00:03' };
    return o;
  }

  publishState() {
    if (this.client && this.client.connected) this.client.publish(this.stateTopic, JSON.stringify(this.stateObject()), { qos: 0 });
  }

  onCommand(topic, payload) {
    if (!topic.startsWith(this.cmndPrefix)) return;
    const command = topic.slice(this.cmndPrefix.length).toUpperCase();
    let arg = payload.toString('utf8').trim();
    if (arg === '?') arg = '';
    let result;
    let powerReport = null;
    if (command === 'POWER' || command === 'POWER1' || command === 'POWER0') {
      const on = tryPower(arg, this.power);
      if (on !== null) {
        this.power = on;
        powerReport = on;
      }
      result = { POWER: this.power ? 'ON' : 'OFF' };
    } else if (command === 'DIMMER' || command === 'WHITE') {
      const d = tryStep(arg, this.dimmer, DIMMER_STEP, 0, 100);
      if (d !== null) {
        if (d === 0) this.power = false;
        else {
          this.dimmer = d;
          this.power = true;
        }
      }
      result = this.lightFields({});
    } else if (command === 'CT') {
      const ct = tryStep(arg, this.ct, CT_STEP, MIN_MIRED, MAX_MIRED);
      if (ct !== null) this.ct = ct;
      result = this.lightFields({});
    } else if (command === 'COLOR' && arg === '') {
      result = this.lightFields({});
    } else if (command === 'STATE') {
      result = this.stateObject();
    } else {
      result = { Command: 'Unknown' };
    }
    this.client.publish(this.resultTopic, JSON.stringify(result), { qos: 0 });
    if (powerReport !== null) this.client.publish(this.powerTopic, powerReport ? 'ON' : 'OFF', { qos: 0 });
  }

  async stop() {
    if (this.teleTimer) clearInterval(this.teleTimer);
    if (!this.client) return;
    if (this.client.connected) {
      try {
        await Promise.race([
          this.publishAsync(this.lwtTopic, 'Offline', { qos: 1, retain: true }),
          new Promise((r) => setTimeout(r, 1000)),
        ]);
      } catch { /* leaving anyway */ }
    }
    await new Promise((r) => this.client.end(false, {}, r));
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const lamps = [];
  for (let i = 1; i <= opts.count; i++) lamps.push(new Lamp(i, opts.url, opts.telePeriod));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const t = setTimeout(() => process.exit(0), 3000);
    await Promise.all(lamps.map((l) => l.stop()));
    clearTimeout(t);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await Promise.all(lamps.map((l) => l.start()));
  process.stdout.write(`lamps ready: ${lamps.length}\n`);
}

main().catch((e) => {
  process.stderr.write(`lamp.js: ${e.stack || e}\n`);
  process.exit(1);
});
