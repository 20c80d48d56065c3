// Registry: the Tasmota devices found through native discovery (tasmota/discovery/<MAC>/config)
// and their availability (tele/<t>/LWT), kept in flow context for the API and command nodes.
const devices = flow.get('devices') || {};
const wills = flow.get('wills') || {};
flow.set('devices', devices);
flow.set('wills', wills);

const parts = msg.topic.split('/');
if (parts[0] === 'tasmota') {
    const c = msg.payload;
    if (!c || typeof c !== 'object' || typeof c.t !== 'string' || c.t === '') return null;
    if (c.ft !== '%prefix%/%topic%/') {
        node.warn(`Tasmota device ${c.t} uses FullTopic ${c.ft}; skipped`);
        return null;
    }
    const d = devices[c.t] || { id: c.t, state: {} };
    d.name = (Array.isArray(c.fn) && typeof c.fn[0] === 'string' && c.fn[0]) || c.dn || c.t;
    d.kind = c.lt_st > 0 ? 'light' : 'plug';
    d.cmnd = Array.isArray(c.tp) && typeof c.tp[0] === 'string' ? c.tp[0] : 'cmnd';
    d.online = wills[c.t] === 'Online';
    devices[c.t] = d;
} else if (parts[0] === 'tele' && parts.length === 3 && parts[2] === 'LWT') {
    const t = parts[1];
    const text = String(msg.payload).trim();
    wills[t] = text;
    if (devices[t]) devices[t].online = text === 'Online';
}
return null;
