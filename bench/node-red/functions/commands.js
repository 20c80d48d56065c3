// Commands waiting for their lamp. Input: a validated set from the API node (msg.device), or a
// lamp's stat/<t>/RESULT (msg.topic). Pending commands live in flow context keyed by device;
// commands to one device run one after another (only the head of a device's queue is
// published), and a command is answered only when the lamp's own RESULT reports the requested
// POWER, or with a timeout after 5 s. Output 1: MQTT command; output 2: reply to the sender.
const TIMEOUT_MS = 5000;
const MAX_QUEUE = 16;

let pending = flow.get('pending');
if (!pending) {
    pending = {};
    flow.set('pending', pending);
}

function publish(cmd) {
    cmd.timer = setTimeout(() => expire(cmd), TIMEOUT_MS);
    return { topic: `${cmd.cmnd}/${cmd.device}/POWER`, payload: cmd.want, qos: 1, retain: false };
}

// The head of a device's queue is done: the next command (if any) goes out.
function advance(device) {
    const q = pending[device];
    q.shift();
    if (q.length === 0) {
        delete pending[device];
        return null;
    }
    return publish(q[0]);
}

function expire(cmd) {
    const q = pending[cmd.device];
    if (!q || q[0] !== cmd) return;
    const next = advance(cmd.device);
    const out = {
        payload: JSON.stringify({
            id: cmd.id, ok: false,
            error: { code: 'timeout', message: `'${cmd.device}' did not confirm within ${TIMEOUT_MS / 1000} s` },
        }),
        _session: cmd.session,
    };
    node.send([next, out], false);
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
    const cmd = {
        id: msg.id, device: msg.device, cmnd: msg.cmnd || 'cmnd', power: msg.power,
        want: msg.power === 'on' ? 'ON' : 'OFF', session: msg._session, timer: null,
    };
    q.push(cmd);
    return q.length === 1 ? [publish(cmd), null] : null;
}

// A lamp's report: stat/<t>/RESULT.
const parts = msg.topic.split('/');
if (parts.length !== 3) return null;
const device = parts[1];
const report = msg.payload;
if (!report || typeof report !== 'object' || typeof report.POWER !== 'string') return null;
const devices = flow.get('devices') || {};
const power = report.POWER === 'ON' ? 'on' : report.POWER === 'OFF' ? 'off' : undefined;
if (devices[device] && power) {
    devices[device].state.power = power;
    devices[device].online = true;
}
const q = pending[device];
if (!q || q[0].want !== report.POWER) return null;
const cmd = q[0];
clearTimeout(cmd.timer);
const next = advance(device);
return [next, { payload: JSON.stringify({ id: cmd.id, ok: true, state: { power: cmd.power } }), _session: cmd.session }];
