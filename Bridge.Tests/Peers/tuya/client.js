// Drives npm tuyapi (a Tuya client nobody on the project wrote) against a device for the .NET tests.
// One JSON request on stdin: {ip, port, id, key, version, set: {dp: value, ...}}; the key never goes
// on a command line. Prints one JSON line per step: {step:"connected"}, {step:"get", dps},
// {step:"set", dps}, {step:"get-after", dps}; on failure {step:"error", message} and exit 1.
'use strict';
const TuyAPI = require('tuyapi');

function print(o) { process.stdout.write(JSON.stringify(o) + '\n'); }

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const r = JSON.parse(input);
  const device = new TuyAPI({ ip: r.ip, port: r.port, id: r.id, key: r.key, version: r.version, issueGetOnConnect: false });
  device.on('error', () => {}); // surfaced through the rejected promises below
  try {
    await device.connect();
    print({ step: 'connected' });
    const before = await device.get({ schema: true });
    print({ step: 'get', dps: before.dps });
    const set = await device.set({ multiple: true, data: r.set });
    print({ step: 'set', dps: set && set.dps });
    const after = await device.get({ schema: true });
    print({ step: 'get-after', dps: after.dps });
  } finally {
    device.disconnect();
  }
}

main().then(() => process.exit(0), e => { print({ step: 'error', message: String(e && e.message || e) }); process.exit(1); });
