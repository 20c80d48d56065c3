// A minimal Web Serial SerialPort over a pseudo-terminal, enough for improv-wifi-serial-sdk
// (which was written for the browser): `readable` and `writable` WHATWG streams of Uint8Array.
import fs from 'node:fs';
import tty from 'node:tty';

export function openPty(path) {
  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  const input = new tty.ReadStream(fd);
  const output = new tty.WriteStream(fd);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    input.destroy();
  };
  const readable = new ReadableStream({
    start(controller) {
      input.on('data', (chunk) => controller.enqueue(new Uint8Array(chunk)));
      input.on('close', () => { try { controller.close(); } catch { /* already closed */ } });
      input.on('error', (error) => controller.error(error));
    },
    cancel() { close(); },
  });
  const writable = new WritableStream({
    write(chunk) {
      return new Promise((resolve, reject) => output.write(Buffer.from(chunk), (error) => (error ? reject(error) : resolve())));
    },
  });
  return { readable, writable, close };
}
