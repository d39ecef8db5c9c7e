/**
 * `nginx -T` output as input. nginx writes, for every file it read (each once,
 * main file first):
 *
 *     # configuration file PATH:\n
 *     <the file's bytes>\n
 *
 * so each section is split off at its header line and becomes a SourceFile
 * whose path is PATH and whose text is exactly that file's text (the line break
 * nginx adds after it removed), so positions point at the original PATH:line.
 * Includes are then resolved against the dumped files instead of the disk.
 * Anything before the first header (nginx's "syntax is ok" lines when stderr
 * was captured too) is ignored. A dump cut short is reported, never thrown.
 *
 * Limitation: a configuration line that is itself exactly
 * `# configuration file X:` is taken as a header, as any reader of the format must.
 */
import * as nodePath from 'node:path';
import type { Diagnostic } from '../../diagnostic.js';
import { memoryFileSystem } from '../../fs.js';
import type { SourceFile } from '../source.js';
import type { NginxConfig } from './ast.js';
import { loadWith, type LoadOptions, type OpenFailure } from './include.js';
import { parseNginx } from './parser.js';

export const DUMP_RULE = 'nginx-dump';
const HEADER = '# configuration file ';

export interface DumpSection {
  path: string;
  /** offsets in the dump of the section's text (header and nginx's trailing line break excluded) */
  start: number;
  end: number;
}

/** Split an `nginx -T` output into its files; `truncated` when the last one lacks nginx's closing line break. */
export function splitNginxDump(text: string): { sections: DumpSection[]; truncated: boolean } {
  const heads: { path: string; lineStart: number; bodyStart: number; crlf: boolean }[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const lf = text.indexOf('\n', lineStart);
    const lineEnd = lf === -1 ? text.length : lf;
    if (text.startsWith(HEADER, lineStart)) {
      let e = lineEnd;
      const crlf = e > lineStart && text.charCodeAt(e - 1) === 13;
      if (crlf) e--;
      if (e > lineStart + HEADER.length + 1 && text.charCodeAt(e - 1) === 58 /* : */ && lf !== -1) {
        heads.push({ path: text.slice(lineStart + HEADER.length, e - 1), lineStart, bodyStart: lf + 1, crlf });
      }
    }
    if (lf === -1) break;
    lineStart = lf + 1;
  }
  const sections: DumpSection[] = [];
  let truncated = false;
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!;
    const next = heads[i + 1];
    let end = next ? next.lineStart : text.length;
    // nginx writes a line break after each file's bytes
    if (end > h.bodyStart && text.charCodeAt(end - 1) === 10) {
      end--;
      // a dump converted to CRLF: the added break became \r\n
      if (h.crlf && end > h.bodyStart && text.charCodeAt(end - 1) === 13) end--;
    } else if (!next) {
      truncated = true;
    }
    sections.push({ path: h.path, start: h.bodyStart, end: Math.max(end, h.bodyStart) });
  }
  return { sections, truncated };
}

export function parseNginxDump(source: SourceFile, opts: Omit<LoadOptions, 'fs'> = {}): NginxConfig {
  const { sections, truncated } = splitNginxDump(source.text);
  if (sections.length === 0) {
    const root = parseNginx(source);
    const diagnostics: Diagnostic[] = [
      {
        rule: DUMP_RULE,
        severity: 'error',
        message: 'not an "nginx -T" dump: no "# configuration file PATH:" line',
        file: source,
        span: { start: 0, end: 0 },
      },
    ];
    return { root, files: new Map([[source.path, root]]), includes: new Map(), diagnostics };
  }

  const byPath = new Map<string, SourceFile>();
  const contents: Record<string, string> = {};
  for (const s of sections) {
    if (byPath.has(s.path)) continue; // nginx dumps each file once; keep the first
    const file: SourceFile = { path: s.path, text: source.text.slice(s.start, s.end), encoding: source.encoding };
    byPath.set(s.path, file);
    byPath.set(nodePath.posix.resolve('/', s.path), file);
    contents[s.path] = '';
  }
  const fs = memoryFileSystem(contents);
  const open = (p: string): SourceFile | OpenFailure => {
    const f = byPath.get(p) ?? byPath.get(nodePath.posix.resolve('/', p));
    if (f) return f;
    return fs.stat(p)?.isDirectory ? { syscall: 'pread', errno: 21, reason: 'Is a directory' } : { syscall: 'open', errno: 2, reason: 'No such file or directory' };
  };
  const first = sections[0]!;
  const rootSource = byPath.get(first.path)!;
  const config = loadWith(first.path, { fs, open }, opts, rootSource);
  if (truncated) {
    const last = sections[sections.length - 1]!;
    const file = byPath.get(last.path)!;
    config.diagnostics.push({
      rule: DUMP_RULE,
      severity: 'error',
      message: `the "nginx -T" dump looks truncated: "${last.path}" does not end with the line break nginx writes after each file`,
      file,
      span: { start: file.text.length, end: file.text.length },
    });
  }
  return config;
}
