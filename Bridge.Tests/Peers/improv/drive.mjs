// Drives a (simulated) Improv device with the reference client, improv-wifi-serial-sdk.
// Reads one JSON request on stdin - {"port","ssid","password","scan","hostname","timeoutMs"} - so
// no Wi-Fi password is ever on a command line, and prints one JSON line per result on stdout.
import { ImprovSerial } from 'improv-wifi-serial-sdk/dist/serial.js';
import { openPty } from './web-serial-shim.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const quiet = { log() {}, debug() {}, error() {} };

const port = openPty(request.port);
const client = new ImprovSerial(port, quiet);
client.addEventListener('state-changed', (e) => say({ state: e.detail }));
client.addEventListener('error-changed', (e) => { if (e.detail) say({ errorState: e.detail }); });
try {
  const info = await client.initialize(request.initTimeoutMs ?? 3000);
  say({ info, nextUrl: client.nextUrl ?? null });
  if (request.hostname) say({ hostname: await client.getHostname() });
  if (request.scan) say({ networks: await client.scan() });
  if (request.ssid !== undefined) {
    await client.provision(request.ssid, request.password, request.timeoutMs ?? 10000);
    say({ provisioned: client.nextUrl ?? null });
  }
  say({ done: true });
} catch (error) {
  say({ failed: String(error?.message ?? error) });
} finally {
  port.close();
  process.exit(0);
}
