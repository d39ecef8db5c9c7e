/**
 * A minimal FastCGI client (responder role, one request per connection),
 * enough to ask a running php-fpm pool what PHP sees (tests only).
 */
import * as net from 'node:net';

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const STDERR = 7;

function record(type: number, requestId: number, content: Buffer): Buffer {
  const padding = (8 - (content.length % 8)) % 8;
  const header = Buffer.alloc(8);
  header.writeUInt8(VERSION, 0);
  header.writeUInt8(type, 1);
  header.writeUInt16BE(requestId, 2);
  header.writeUInt16BE(content.length, 4);
  header.writeUInt8(padding, 6);
  return Buffer.concat([header, content, Buffer.alloc(padding)]);
}

function nameValueLength(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0, 0);
  return b;
}

function encodeParams(params: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(params)) {
    const kb = Buffer.from(k);
    const vb = Buffer.from(v);
    parts.push(nameValueLength(kb.length), nameValueLength(vb.length), kb, vb);
  }
  return Buffer.concat(parts);
}

export interface FastCgiResponse {
  stdout: string;
  stderr: string;
}

/** Send one request; `address` is a unix socket path or host:port. */
export function fastcgiRequest(address: string, params: Record<string, string>, timeoutMs = 5000): Promise<FastCgiResponse> {
  return new Promise((resolve, reject) => {
    const m = /^(.*):(\d+)$/.exec(address);
    const socket = m && !address.startsWith('/') ? net.connect(Number(m[2]), m[1]) : net.connect(address);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`FastCGI request to ${address} timed out`));
    }, timeoutMs);
    let buf = Buffer.alloc(0);
    let stdout = '';
    let stderr = '';
    socket.on('connect', () => {
      const begin = Buffer.alloc(8);
      begin.writeUInt16BE(1, 0); // FCGI_RESPONDER
      socket.write(record(BEGIN_REQUEST, 1, begin));
      socket.write(record(PARAMS, 1, encodeParams(params)));
      socket.write(record(PARAMS, 1, Buffer.alloc(0)));
      socket.write(record(STDIN, 1, Buffer.alloc(0)));
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 8) {
        const type = buf.readUInt8(1);
        const len = buf.readUInt16BE(4);
        const pad = buf.readUInt8(6);
        if (buf.length < 8 + len + pad) break;
        const content = buf.subarray(8, 8 + len);
        buf = buf.subarray(8 + len + pad);
        if (type === STDOUT) stdout += content.toString('utf8');
        else if (type === STDERR) stderr += content.toString('utf8');
        else if (type === END_REQUEST) {
          clearTimeout(timer);
          socket.end();
          resolve({ stdout, stderr });
          return;
        }
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
