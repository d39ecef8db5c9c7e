import type { Formatter } from './types.js';

export const FORMAT_NAMES = ['stylish', 'json', 'sarif', 'github'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Formatters load on demand so start-up pays only for the one in use. */
export async function loadFormatter(name: FormatName): Promise<Formatter> {
  switch (name) {
    case 'json':
      return (await import('./json.js')).formatJson;
    case 'stylish':
      return (await import('./stylish.js')).formatStylish;
    case 'sarif':
      return (await import('./sarif.js')).formatSarif;
    case 'github':
      return (await import('./github.js')).formatGithub;
  }
}

export type { Formatter, Report, FormatOptions, RuleDescriptor } from './types.js';
