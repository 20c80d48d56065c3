// Commands waiting for their lamp, pipelined per device as a Node-RED user who knows Tasmota
// would do it: a valid set (msg.device, from the API node) is published at once, even while
// earlier ones to the same lamp wait, and joins that lamp's FIFO; Tasmota handles its commands
// in order and answers each POWER command with stat/<t>/POWER, so every stat/<t>/POWER
// (msg.topic) answers the oldest command waiting for that lamp, with the state the lamp reported.
// A command not answered within 5 s fails with timeout and leaves the FIFO. At most 256 wait
// per lamp (the bridge's Commands:MaxQueuedPerDevice); more get busy.
// Output 1: MQTT command; output 2: reply to the sender.
const TIMEOUT_MS = 5000;
const MAX_QUEUE = 256;

let pending = flow.get('pending');
if (!pending) {
    pending = {};
    flow.set('pending', pending);
}

function expire(cmd) {
    const q = pending[cmd.device];
    const i = q ? q.indexOf(cmd) : -1;
    if (i < 0) return;
    q.splice(i, 1);
    if (q.length === 0) delete pending[cmd.device];
    node.send([null, {
        payload: JSON.stringify({
            id: cmd.id, ok: false,
            error: { code: 'timeout', message: `'${cmd.device}' did not confirm within ${TIMEOUT_MS / 1000} s` },
        }),
        _session: cmd.session,
    }], false);
}

if (msg.device !== undefined) {
    // A set from the API node.
    let q = pending[msg.device];
    if (!q) q = pending[msg.device] = [];
    if (q.length >= MAX_QUEUE) {
        return [null, {
            payload: JSON.stringify({ id: msg.id, ok: false, error: { code: 'busy', message: `too many commands waiting for '${msg.device}'` } }),
            _session: msg._session,
        }];
    }
    const want = msg.power === 'on' ? 'ON' : 'OFF';
    const cmd = { id: msg.id, device: msg.device, session: msg._session, timer: null };
    cmd.timer = setTimeout(() => expire(cmd), TIMEOUT_MS);
    q.push(cmd);
    return [{ topic: `${msg.cmnd || 'cmnd'}/${msg.device}/POWER`, payload: want, qos: 1, retain: false }, null];
}

// A lamp's answer: stat/<t>/POWER, "ON" or "OFF".
const parts = msg.topic.split('/');
if (parts.length !== 3) return null;
const device = parts[1];
const text = String(msg.payload).trim();
const power = text === 'ON' ? 'on' : text === 'OFF' ? 'off' : undefined;
if (!power) return null;
const devices = flow.get('devices') || {};
if (devices[device]) {
    devices[device].state.power = power;
    devices[device].online = true;
}
const q = pending[device];
if (!q) return null;
const cmd = q.shift();
if (q.length === 0) delete pending[device];
clearTimeout(cmd.timer);
return [null, { payload: JSON.stringify({ id: cmd.id, ok: true, state: { power } }), _session: cmd.session }];
