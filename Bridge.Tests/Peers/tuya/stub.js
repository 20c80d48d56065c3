// Runs npm @tuyapi/stub (a Tuya 3.1 device nobody on the project wrote) for the .NET tests.
// One JSON request on stdin: {port (0: any free one), id, key, state}; prints {"ready":true,"port":n} once listening, then one
// line {"state":{...}} after every change a client makes. Ends when stdin closes.
'use strict';
const net = require('net');
const TuyaStub = require('@tuyapi/stub');

async function main() {
  let input = '';
  process.stdin.setEncoding('utf8');
  const first = await new Promise(resolve => {
    process.stdin.on('data', chunk => {
      input += chunk;
      const nl = input.indexOf('\n');
      if (nl >= 0) resolve(input.slice(0, nl));
    });
  });
  const r = JSON.parse(first);
  const stub = new TuyaStub({ id: r.id, key: r.key, state: r.state, ip: '127.0.0.1' });
  const setProperty = stub.setProperty.bind(stub);
  stub.setProperty = (property, value) => {
    const result = setProperty(property, value);
    process.stdout.write(JSON.stringify({ state: stub.getState() }) + '\n');
    return result;
  };
  // The stub takes port 0 for "unset" and listens on 6668, where the simulator's devices of other
  // tests listen too: ask the system for a free port instead.
  const port = r.port || await new Promise(resolve => {
    const probe = net.createServer().listen(0, () => { const p = probe.address().port; probe.close(() => resolve(p)); });
  });
  stub.startServer(port);
  stub.server.on('listening', () => process.stdout.write(JSON.stringify({ ready: true, port: stub.server.address().port }) + '\n'));
  process.stdin.on('end', () => { stub.shutdown(); process.exit(0); });
}

main();
