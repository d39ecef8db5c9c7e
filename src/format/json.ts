import type { Formatter } from './types.js';

/** The documented JSON shape (schemas/output.schema.json). Field names are stable: add, never rename. */
export const formatJson: Formatter = (report) =>
  JSON.stringify(
    {
      diagnostics: report.diagnostics,
      summary: report.summary,
      files: report.files,
      stacks: report.stacks,
      nginxVersion: report.nginxVersion,
      nginxVersionAssumed: report.nginxVersionAssumed,
      // every rule and check of the run; their docs stay out (`--explain RULE`, SARIF's help carry them)
      rules: report.rules.map(({ docs: _docs, ...r }) => r),
    },
    null,
    2,
  ) + '\n';
