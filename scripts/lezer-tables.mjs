// An esbuild plugin for the bundled CLI: @lezer/python's parse tables,
// decoded at build time.
//
// lezer-generator writes a grammar's tables as strings in its own base-46
// encoding, and LRParser.deserialize decodes them at module load: about 2 ms
// of every start, spent in a loop V8 has not compiled yet. deserialize leaves
// anything that is not a string as it is, so the plugin puts the decoded
// arrays in the source instead (base64 of their little-endian bytes, decoded
// by Node's native base64 and byte-swapped on a big-endian machine). The
// parser is the same parser: test/bench/cli-loader.test.ts checks that the
// bundled tables equal the ones lezer decodes.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

// lezer's decodeArray (@lezer/lr), at build time: the encoding lezer-generator writes
function decodeLezerArray(input) {
  const out = [];
  for (let pos = 0; pos < input.length; ) {
    let value = 0;
    for (;;) {
      let next = input.charCodeAt(pos++);
      let stop = false;
      if (next === 126) {
        value = 65535;
        break;
      }
      if (next >= 92) next--;
      if (next >= 34) next--;
      let digit = next - 32;
      if (digit >= 46) {
        digit -= 46;
        stop = true;
      }
      value += digit;
      if (stop) break;
      value *= 46;
    }
    out.push(value);
  }
  // lezer's first value is the array's length
  return out.slice(1);
}

// which deserialize() fields are encoded arrays, and their element type
const FIELDS = { states: 32, stateData: 16, goto: 16, tokenData: 16 };

const RUNTIME = `
const __nlTable = (b64, bits) => {
  const bytes = Buffer.from(b64, 'base64');
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    if (bits === 32) bytes.swap32();
    else bytes.swap16();
  }
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return bits === 32 ? new Uint32Array(copy.buffer) : new Uint16Array(copy.buffer);
};
`;

function encode(values, bits) {
  const array = bits === 32 ? Uint32Array.from(values) : Uint16Array.from(values);
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    if (bits === 32) bytes.swap32();
    else bytes.swap16();
  }
  return bytes.toString('base64');
}

export const lezerTables = {
  name: 'lezer-tables',
  setup(build) {
    build.onLoad({ filter: /[\\/]@lezer[\\/]python[\\/]dist[\\/]index\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      for (const [field, bits] of Object.entries(FIELDS)) {
        const re = new RegExp(`^(  ${field}: )("(?:[^"\\\\]|\\\\.)*")(,?)$`, 'm');
        const m = re.exec(source);
        if (!m) throw new Error(`lezer-tables: no "${field}" string in ${args.path} (a new @lezer/python layout?)`);
        const values = decodeLezerArray(JSON.parse(m[2]));
        source = source.slice(0, m.index) + `${m[1]}__nlTable("${encode(values, bits)}", ${bits})${m[3]}` + source.slice(m.index + m[0].length);
      }
      return { contents: RUNTIME + source, loader: 'js' };
    });
  },
};
