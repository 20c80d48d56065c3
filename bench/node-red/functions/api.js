// The local API's requests (one JSON object per WebSocket text frame): ping, devices, get answer
// here at once; a valid set goes on (output 2) to the command node, which publishes it and
// replies only when the lamp has reported the new state. Output 1: replies to the sender.
const MAX_FRAME = 64 * 1024;
const POWER = { type: 'enum', values: ['off', 'on'] };

function reply(obj) {
    return [{ payload: JSON.stringify(obj), _session: msg._session }, null];
}
function fail(id, code, message) {
    return reply({ id, ok: false, error: { code, message } });
}
function view(d) {
    return {
        id: d.id, name: d.name, kind: d.kind, protocol: 'tasmota', online: d.online,
        capabilities: { power: POWER }, state: d.state,
    };
}

if (typeof msg.payload !== 'string') return fail(null, 'bad_request', 'binary frames are not accepted');
if (msg.payload.length > MAX_FRAME) return fail(null, 'bad_request', 'frame over 64 KiB');
let req;
try {
    req = JSON.parse(msg.payload);
} catch (e) {
    return fail(null, 'bad_request', 'not JSON');
}
if (!req || typeof req !== 'object' || Array.isArray(req)) return fail(null, 'bad_request', 'not a JSON object');
if (typeof req.id !== 'string') return fail(null, 'bad_request', "'id' must be a string");
const id = req.id;
if (typeof req.op !== 'string') return fail(id, 'bad_request', "'op' must be a string");

const devices = flow.get('devices') || {};
switch (req.op) {
    case 'ping':
        return reply({ id, ok: true });
    case 'devices': {
        const list = Object.values(devices)
            .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
            .map(view);
        return reply({ id, ok: true, devices: list });
    }
    case 'get': {
        if (typeof req.device !== 'string') return fail(id, 'bad_request', "'device' must be a string");
        const d = devices[req.device];
        if (!d) return fail(id, 'unknown_device', `no device '${req.device}'`);
        return reply({ id, ok: true, device: view(d) });
    }
    case 'set': {
        if (typeof req.device !== 'string') return fail(id, 'bad_request', "'device' must be a string");
        if (!req.state || typeof req.state !== 'object' || Array.isArray(req.state)) {
            return fail(id, 'bad_request', "'state' must be an object");
        }
        const d = devices[req.device];
        if (!d) return fail(id, 'unknown_device', `no device '${req.device}'`);
        const keys = Object.keys(req.state);
        if (keys.length === 0) return fail(id, 'bad_request', "'state' is empty");
        for (const k of keys) {
            if (k !== 'power') return fail(id, 'unsupported_capability', `'${d.id}' has no capability '${k}'`);
        }
        const power = req.state.power;
        if (power !== 'on' && power !== 'off') {
            return fail(id, 'invalid_value', `'power' must be one of off, on, not ${JSON.stringify(power)}`);
        }
        if (!d.online) return fail(id, 'device_offline', `'${d.id}' is offline`);
        return [null, { id, device: d.id, cmnd: d.cmnd, power, _session: msg._session }];
    }
    default:
        return fail(id, 'unknown_op', `unknown op '${req.op}'`);
}
