/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif)
 * and any other SARIF viewer. Validated against the official schema
 * (schemas/sarif-2.1.0.schema.json) in test/format/sarif.test.ts.
 *
 * Positions: our lines and columns are 1-based and count UTF-16 code units of
 * the decoded text (a tab is one column), so the run says
 * `columnKind: "utf16CodeUnits"`; ends are exclusive, as SARIF's endColumn
 * ("the character following the end of the region") is.
 */
import pkg from '../../package.json' with { type: 'json' };
import type { ReportedDiagnostic, ReportedRange, Severity } from '../diagnostic.js';
import { ruleDoc } from '../engine/rule-docs.js';
import { sourcePaths, type SourcePaths } from './source-root.js';
import type { Formatter, RuleDescriptor } from './types.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** the uriBaseId of every repository-relative location */
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub's ranking of non-security alerts (properties["problem.severity"]) */
const PROBLEM_SEVERITY: Record<Severity, 'error' | 'warning' | 'recommendation'> = { error: 'error', warning: 'warning', info: 'recommendation' };
/** GitHub shows at most 1024 characters of a rule's descriptions */
const DESCRIPTION_LIMIT = 1024;

const meta = pkg as { name: string; version: string; homepage?: string };

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** `fpm-listen-open` → `FpmListenOpen` (SARIF's friendly name: one Pascal-case identifier, unlike the id) */
function friendlyName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** The first paragraph of a rule doc after its title: what the rule finds, in a few sentences. */
function docSummary(doc: string): string | undefined {
  const paragraphs = doc.split(/\n\s*\n/).map((p) => p.trim());
  const first = paragraphs.find((p) => p && !p.startsWith('#') && !p.startsWith('```'));
  return first?.replace(/\s+/g, ' ');
}

function descriptor(r: RuleDescriptor) {
  const doc = ruleDoc(r);
  const help = doc ?? r.description;
  const group = r.family ?? r.program;
  return {
    id: r.id,
    name: friendlyName(r.id),
    shortDescription: { text: clip(r.description, DESCRIPTION_LIMIT) },
    fullDescription: { text: clip((doc && docSummary(doc)) || r.description, DESCRIPTION_LIMIT) },
    help: { text: help, markdown: help },
    ...(r.url ? { helpUri: r.url } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [...(group ? [group] : []), r.kind === 'rule' ? 'cross-file' : 'config-check', ...(r.fixable ? ['fixable'] : [])],
      kind: r.kind,
      fixable: r.fixable,
      'problem.severity': PROBLEM_SEVERITY[r.severity],
    },
  };
}

function region(r: { line: number; column: number; endLine?: number; endColumn?: number }) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine ?? r.line, endColumn: r.endColumn ?? r.column };
}

function artifactLocation(paths: SourcePaths, file: string) {
  const at = paths.locate(file);
  // inside the repository: relative to %SRCROOT% (what code scanning matches against the checkout); outside: absolute
  return at.relative !== null ? { uri: at.relative, uriBaseId: SRCROOT } : { uri: at.uri };
}

function physicalLocation(paths: SourcePaths, r: ReportedRange) {
  return { artifactLocation: artifactLocation(paths, r.file), region: region(r) };
}

/** Literal brackets and backslashes in the text of an embedded link are escaped (SARIF §3.11.6). */
function linkText(s: string): string {
  return s.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function result(d: ReportedDiagnostic, ruleIndex: number, paths: SourcePaths) {
  // code scanning links the related locations that the message embeds as [text](id)
  const links = d.related.map((r, i) => `[${linkText(`${paths.locate(r.file).path}:${r.line}`)}](${i + 1}): ${r.message}`);
  const edits = d.fix?.edits ?? [];
  const byFile = new Map<string, typeof edits>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return {
    ruleId: d.rule,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: links.length ? `${d.message}\n${links.join('\n')}` : d.message },
    locations: [{ physicalLocation: physicalLocation(paths, d) }],
    ...(d.related.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, physicalLocation: physicalLocation(paths, r), message: { text: r.message } })) } : {}),
    ...(d.fix && edits.length
      ? {
          fixes: [
            {
              description: { text: d.fix.description },
              artifactChanges: [...byFile].map(([file, es]) => ({
                artifactLocation: artifactLocation(paths, file),
                replacements: es.map((e) => ({ deletedRegion: region(e), ...(e.text ? { insertedContent: { text: e.text } } : {}) })),
              })),
            },
          ],
        }
      : {}),
  };
}

export const formatSarif: Formatter = (report, options) => {
  const paths = sourcePaths(options);
  const rules = new Map<string, RuleDescriptor>();
  for (const r of report.rules) if (!rules.has(r.id)) rules.set(r.id, r);
  // a finding whose id the run did not list (none today) still gets a descriptor: results must resolve to one
  for (const d of report.diagnostics) if (!rules.has(d.rule)) rules.set(d.rule, { id: d.rule, description: d.rule, severity: d.severity, fixable: false, kind: 'check' });
  const index = new Map([...rules.keys()].map((id, i) => [id, i]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: meta.name,
            version: meta.version,
            semanticVersion: meta.version,
            informationUri: meta.homepage ?? `https://www.npmjs.com/package/${meta.name}`,
            rules: [...rules.values()].map(descriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: paths.rootUri, description: { text: 'the repository root (the git top-level above the directory nginx-lint ran in)' } } },
        columnKind: 'utf16CodeUnits',
        results: report.diagnostics.map((d) => result(d, index.get(d.rule)!, paths)),
        properties: { nginxVersion: report.nginxVersion, nginxVersionAssumed: report.nginxVersionAssumed },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
