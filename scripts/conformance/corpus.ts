import * as fs from 'node:fs';
import * as path from 'node:path';

/** Corpus paths (relative to corpusDir) of the files FILES.tsv lists with one of `types`. */
export function corpusFiles(corpusDir: string, ...types: string[]): string[] {
  const out: string[] = [];
  for (const line of fs.readFileSync(path.join(corpusDir, 'FILES.tsv'), 'utf8').split('\n').slice(1)) {
    const [p, type] = line.split('\t');
    if (p && type && types.includes(type)) out.push(p);
  }
  return out;
}
