// The bundled CLI's `escalade/sync` (scripts/build.mjs aliases yargs' import
// of it here). At every start, yargs walks up from "the application's
// directory" to find its package.json and guess the version (nginx-lint then
// sets its own). Its guess at that directory is where node_modules/yargs is;
// bundled, there is none, so it walked up from the current directory: a
// readdir per level up to / and, where no package.json was found, a failed
// assertion that loads node:assert. The application's package.json is
// nginx-lint's own, beside dist/ (`__dirname` is dist/ in the bundle, set by
// the loader).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function findUp(_start, callback) {
  const dir = join(__dirname, '..');
  const found = existsSync(join(dir, 'package.json')) ? callback(dir, ['package.json']) : undefined;
  return found ? join(dir, found) : undefined;
}
