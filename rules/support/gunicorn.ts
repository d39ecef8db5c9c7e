/**
 * What the rules ask of a gunicorn app: its integer settings, where they
 * were written, and which kind of worker it runs.
 */
import type { SourceFile, Span } from '../../src/syntax/source.js';
import { lineRef } from '../../src/syntax/source.js';
import { settingPlace, type GunicornApp } from '../../src/stack/model.js';
import { appLabel } from '../../src/stack/describe.js';

/** Where a gunicorn setting was written; null for gunicorn's default (or a source with no place in a file). */
export function gunicornSettingPlace(app: GunicornApp, name: string): { file: SourceFile; span: Span } | null {
  return settingPlace(app.gunicorn.settings.get(name));
}

/** A gunicorn integer setting when statically known. */
export function gunicornInt(app: GunicornApp, name: string): number | null {
  const s = app.gunicorn.settings.get(name);
  if (!s || s.value.kind !== 'known') return null;
  const v = s.value.value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** `gunicorn timeout 30s at gunicorn.conf.py:4 (gunicorn app wsgi:app, sync worker)` */
export function describeGunicornValue(app: GunicornApp, name: string, value: number, worker: GunicornWorker): string {
  const place = gunicornSettingPlace(app, name);
  return place ? `gunicorn ${name} ${value}s at ${lineRef(place.file, place.span.start)} (${appLabel(app)}, ${worker.label})` : `gunicorn ${name} ${value}s (default; ${appLabel(app)}, ${worker.label})`;
}

export interface GunicornWorker {
  /**
   * sync: one request at a time, `timeout` bounds a request, no keep-alive;
   * keepalive: an async or threaded worker that honours `keepalive` (gthread, gevent, eventlet, uvicorn);
   * async: another non-sync worker (timeout is a heartbeat; keep-alive handling not modelled);
   * unknown: dynamic value or a third-party class we do not know
   */
  kind: 'sync' | 'keepalive' | 'async' | 'unknown';
  label: string;
}

const KEEPALIVE_WORKERS = [/^gthread$/, /^gevent(_wsgi|_pywsgi)?$/, /^eventlet$/, /ThreadWorker$/, /Gevent\w*Worker$/, /EventletWorker$/, /^uvicorn(_worker)?\.(workers\.)?Uvicorn(H11)?Worker$/];
const OTHER_ASYNC = [/^tornado$/, /TornadoWorker$/, /GunicornWebWorker$/, /^egg:gunicorn#(gevent|eventlet|tornado|gthread)$/];

/**
 * The worker class gunicorn runs: gunicorn's Config.worker_class turns a
 * sync worker with `threads` > 1 into the threaded (gthread) worker.
 */
export function gunicornWorker(app: GunicornApp): GunicornWorker {
  const s = app.gunicorn.settings.get('worker_class');
  const wc = s?.value.kind === 'known' && typeof s.value.value === 'string' ? s.value.value : null;
  if (wc === null) return { kind: 'unknown', label: 'worker class unknown' };
  const sync = wc === 'sync' || wc.endsWith('SyncWorker') || wc === 'egg:gunicorn#sync';
  if (sync) {
    const threads = gunicornInt(app, 'threads');
    if (threads === null) return { kind: 'unknown', label: 'threads unknown' };
    if (threads > 1) return { kind: 'keepalive', label: `gthread worker (sync with threads ${threads})` };
    return { kind: 'sync', label: 'sync worker' };
  }
  if (KEEPALIVE_WORKERS.some((re) => re.test(wc))) return { kind: 'keepalive', label: `${wc} worker` };
  if (OTHER_ASYNC.some((re) => re.test(wc))) return { kind: 'async', label: `${wc} worker` };
  return { kind: 'unknown', label: `${wc} worker` };
}
