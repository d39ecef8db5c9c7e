/**
 * A small Python AST built from @lezer/python's concrete tree.
 *
 * The conversion fixes what the lezer grammar gets wrong for our purposes
 * (`not` binding looser than `and`/`or`, flat comparison chains) and reports
 * what CPython 3 would reject although lezer accepts it (Python 2 `print`,
 * `<>`, octal literals like `0755`, `except X, e`, assignments to literals).
 * Every node keeps its span, so values can point back at their source.
 */
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import type { Span } from '../source.js';

export type Expr =
  | { k: 'name'; id: string; span: Span }
  | { k: 'num'; text: string; span: Span }
  | { k: 'str'; parts: StrPart[]; bytes: boolean; span: Span }
  | { k: 'const'; value: 'None' | 'True' | 'False' | '...'; span: Span }
  | { k: 'unary'; op: '-' | '+' | '~' | 'not'; operand: Expr; span: Span }
  | { k: 'bin'; op: string; left: Expr; right: Expr; span: Span }
  | { k: 'bool'; op: 'and' | 'or'; left: Expr; right: Expr; span: Span }
  | { k: 'compare'; first: Expr; rest: { op: string; right: Expr }[]; span: Span }
  | { k: 'ifexp'; test: Expr; body: Expr; orelse: Expr; span: Span }
  | { k: 'lambda'; params: Param[]; body: Expr; span: Span }
  | { k: 'call'; func: Expr; args: Arg[]; span: Span }
  | { k: 'attr'; obj: Expr; name: string; span: Span }
  | { k: 'subscript'; obj: Expr; index: Expr; span: Span }
  | { k: 'slice'; lower: Expr | null; upper: Expr | null; step: Expr | null; span: Span }
  | { k: 'tuple' | 'list' | 'set'; elts: Expr[]; span: Span }
  | { k: 'dict'; items: ({ key: Expr; value: Expr } | { spread: Expr })[]; span: Span }
  | { k: 'comp'; kind: 'list' | 'set' | 'gen' | 'dict'; elt: Expr; value: Expr | null; gens: Comprehension[]; span: Span }
  | { k: 'starred'; value: Expr; span: Span }
  | { k: 'named'; target: string; value: Expr; span: Span }
  | { k: 'unsupported'; what: string; span: Span };

export type StrPart = { lit: string } | { expr: Expr; conv: string | null; spec: StrPart[] | null; selfDoc: string | null; span: Span };

export interface Comprehension {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}

export interface Param {
  name: string;
  kind: 'pos' | 'star' | 'dstar' | 'kwonly' | 'posonly';
  default: Expr | null;
}

export type Arg = { kind: 'pos' | 'star' | 'dstar'; value: Expr } | { kind: 'kw'; name: string; value: Expr };

export type Stmt =
  | { k: 'assign'; targets: Expr[]; value: Expr; span: Span }
  | { k: 'annotate'; target: Expr; span: Span }
  | { k: 'augassign'; target: Expr; op: string; value: Expr; span: Span }
  | { k: 'expr'; value: Expr; span: Span }
  | { k: 'import'; names: { module: string; asname: string | null; span: Span }[]; span: Span }
  | { k: 'from'; module: string; level: number; names: { name: string; asname: string | null; span: Span }[] | '*'; span: Span }
  | { k: 'if'; branches: { test: Expr | null; body: Stmt[] }[]; span: Span }
  | { k: 'try'; body: Stmt[]; handlers: { type: Expr | null; name: string | null; body: Stmt[]; span: Span }[]; orelse: Stmt[]; finalbody: Stmt[]; span: Span }
  | { k: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; span: Span }
  | { k: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[]; span: Span }
  | { k: 'with'; items: { ctx: Expr; as: Expr | null }[]; body: Stmt[]; span: Span }
  | { k: 'def'; name: string; nameSpan: Span; params: Param[]; decorators: Expr[]; globals: string[]; body: Stmt[]; isAsync: boolean; span: Span }
  | { k: 'class'; name: string; nameSpan: Span; decorators: Expr[]; span: Span }
  | { k: 'del'; targets: Expr[]; span: Span }
  | { k: 'pass' | 'break' | 'continue'; span: Span }
  | { k: 'return'; value: Expr | null; span: Span }
  | { k: 'raise'; exc: Expr | null; span: Span }
  | { k: 'assert'; test: Expr; msg: Expr | null; span: Span }
  | { k: 'global'; names: string[]; span: Span }
  | { k: 'unsupported'; what: string; assigned: string[]; span: Span };

export interface SyntaxProblem {
  message: string;
  span: Span;
}

/**
 * The statement lists a compound statement runs in its own scope's flow:
 * if branches, try body / handlers / else / finally, loop body and else, with
 * body. (def and class bodies are another scope; callers that want them ask.)
 */
export function nestedBodies(s: Stmt): readonly (readonly Stmt[])[] {
  switch (s.k) {
    case 'if':
      return s.branches.map((b) => b.body);
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    case 'for':
    case 'while':
      return [s.body, s.orelse];
    case 'with':
      return [s.body];
    default:
      return [];
  }
}

export interface PyModule {
  body: Stmt[];
  /** every name read anywhere in the file (module level and inside functions), with where */
  loads: Map<string, Span[]>;
  problems: SyntaxProblem[];
  /** every `#` comment (from `#` to the line end), for inline suppressions; `#` inside strings is not one */
  comments: Span[];
}

const span = (n: SyntaxNode): Span => ({ start: n.from, end: n.to });

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

const COMMENTLIKE = new Set(['Comment']);

class Converter {
  readonly problems: SyntaxProblem[] = [];
  readonly loads = new Map<string, Span[]>();
  /** names declared `global` inside the function being converted */
  private globalsStack: string[][] = [];
  private loopDepth = 0;

  constructor(private readonly text: string) {}

  problem(message: string, s: Span): void {
    this.problems.push({ message, span: s });
  }

  txt(n: SyntaxNode | Span): string {
    return 'from' in n ? this.text.slice(n.from, n.to) : this.text.slice(n.start, n.end);
  }

  load(name: string, s: Span): void {
    const list = this.loads.get(name);
    if (list) list.push(s);
    else this.loads.set(name, [s]);
  }

  // ------------------------------------------------------------ statements

  block(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) out.push(...this.stmt(n));
    return out;
  }

  body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    return this.block(kids(n).filter((c) => c.name !== ':' && !COMMENTLIKE.has(c.name)));
  }

  stmt(n: SyntaxNode): Stmt[] {
    const s = span(n);
    switch (n.name) {
      case 'StatementGroup':
        return this.block(kids(n).filter((c) => c.name !== ';'));
      case 'AssignStatement':
        return [this.assign(n)];
      case 'UpdateStatement': {
        const ks = kids(n);
        const opIdx = ks.findIndex((c) => c.name === 'UpdateOp');
        const target = this.exprList(ks.slice(0, opIdx), s);
        this.checkTarget(target);
        const value = this.exprList(ks.slice(opIdx + 1), s);
        return [{ k: 'augassign', target, op: this.txt(ks[opIdx]!).slice(0, -1), value, span: s }];
      }
      case 'ExpressionStatement':
        return [{ k: 'expr', value: this.exprList(kids(n), s), span: s }];
      case 'PassStatement':
        return [{ k: 'pass', span: s }];
      case 'BreakStatement':
        if (this.loopDepth === 0) this.problem("'break' outside loop", s);
        return [{ k: 'break', span: s }];
      case 'ContinueStatement':
        if (this.loopDepth === 0) this.problem("'continue' not properly in loop", s);
        return [{ k: 'continue', span: s }];
      case 'ReturnStatement': {
        if (this.globalsStack.length === 0) this.problem("'return' outside function", s);
        const ks = kids(n).slice(1);
        return [{ k: 'return', value: ks.length ? this.exprList(ks, s) : null, span: s }];
      }
      case 'RaiseStatement': {
        const ks = kids(n).slice(1);
        if (ks.some((c) => c.name === ',')) this.problem('invalid syntax', span(ks.find((c) => c.name === ',')!));
        const exc = ks[0] && ks[0].name !== 'from' ? this.expr(ks[0]) : null;
        return [{ k: 'raise', exc, span: s }];
      }
      case 'DeleteStatement': {
        const targets = kids(n)
          .slice(1)
          .filter((c) => c.name !== ',')
          .map((c) => this.expr(c));
        return [{ k: 'del', targets, span: s }];
      }
      case 'PrintStatement':
        this.problem("Missing parentheses in call to 'print'. Did you mean print(...)?", s);
        return [];
      case 'ImportStatement':
        return [this.importStmt(n)];
      case 'ScopeStatement': {
        const names = kids(n)
          .filter((c) => c.name === 'VariableName')
          .map((c) => this.txt(c));
        if (this.txt(n.firstChild!) === 'global') this.globalsStack[this.globalsStack.length - 1]?.push(...names);
        return [{ k: 'global', names, span: s }];
      }
      case 'AssertStatement': {
        const parts = kids(n)
          .slice(1)
          .filter((c) => c.name !== ',');
        return [{ k: 'assert', test: this.expr(parts[0]!), msg: parts[1] ? this.expr(parts[1]) : null, span: s }];
      }
      case 'IfStatement':
        return [this.ifStmt(n)];
      case 'WhileStatement': {
        const ks = kids(n);
        const bodies = ks.filter((c) => c.name === 'Body');
        const test = this.expr(ks[1]!);
        this.loopDepth++;
        const body = this.body(bodies[0]);
        this.loopDepth--;
        return [{ k: 'while', test, body, orelse: this.body(bodies[1]), span: s }];
      }
      case 'ForStatement':
        return [this.forStmt(n)];
      case 'TryStatement':
        return [this.tryStmt(n)];
      case 'WithStatement':
        return [this.withStmt(n)];
      case 'FunctionDefinition':
        return [this.funcDef(n, [])];
      case 'ClassDefinition':
        return [this.classDef(n, [])];
      case 'DecoratedStatement': {
        const ks = kids(n);
        const decorators = ks
          .filter((c) => c.name === 'Decorator')
          .map((d) => this.decorator(d));
        const def = ks.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!def) return [];
        return [def.name === 'FunctionDefinition' ? this.funcDef(def, decorators) : this.classDef(def, decorators)];
      }
      case 'MatchStatement':
      case 'TypeDefinition':
      case 'YieldStatement':
        this.walkLoads(n);
        return [{ k: 'unsupported', what: n.name, assigned: this.assignedNames(n), span: s }];
      case 'Comment':
        return [];
      default:
        if (n.type.isError) return [];
        // anything else (a stray expression node) is evaluated for its loads only
        this.walkLoads(n);
        return [];
    }
  }

  /** names a statement we do not model may assign (for marking them unknown) */
  assignedNames(n: SyntaxNode): string[] {
    const out = new Set<string>();
    const c = n.cursor();
    do {
      if (c.name === 'VariableName') out.add(this.text.slice(c.from, c.to));
    } while (c.next());
    return [...out];
  }

  walkLoads(n: SyntaxNode): void {
    const c = n.cursor();
    do {
      if (c.name === 'VariableName') this.load(this.text.slice(c.from, c.to), { start: c.from, end: c.to });
    } while (c.next());
  }

  decorator(d: SyntaxNode): Expr {
    const ks = kids(d).filter((c) => c.name !== 'At');
    let e: Expr | null = null;
    for (const c of ks) {
      if (c.name === 'VariableName') {
        const id = this.txt(c);
        if (!e) {
          this.load(id, span(c));
          e = { k: 'name', id, span: span(c) };
        } else e = { k: 'attr', obj: e, name: id, span: { start: e.span.start, end: c.to } };
      } else if (c.name === 'ArgList' && e) e = { k: 'call', func: e, args: this.args(c), span: { start: e.span.start, end: c.to } };
    }
    return e ?? { k: 'unsupported', what: 'decorator', span: span(d) };
  }

  assign(n: SyntaxNode): Stmt {
    const s = span(n);
    const ks = kids(n);
    const groups: SyntaxNode[][] = [[]];
    let annotated = false;
    for (const c of ks) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name === 'TypeDef') {
        annotated = true;
        this.walkLoads(c);
      } else groups[groups.length - 1]!.push(c);
    }
    if (groups.length === 1) {
      // `x: int` without a value
      const target = this.exprList(groups[0]!, s);
      return { k: 'annotate', target, span: s };
    }
    const valueNodes = groups.pop()!;
    const value = valueNodes.length === 1 && valueNodes[0]!.name === 'YieldExpression' ? ({ k: 'unsupported', what: 'yield', span: span(valueNodes[0]!) } as Expr) : this.exprList(valueNodes, s);
    const targets = groups.map((g) => this.exprList(g, s, true));
    for (const t of targets) this.checkTarget(t);
    void annotated;
    return { k: 'assign', targets, value, span: s };
  }

  checkTarget(t: Expr): void {
    switch (t.k) {
      case 'name':
      case 'attr':
      case 'subscript':
        return;
      case 'tuple':
      case 'list':
        for (const e of t.elts) this.checkTarget(e);
        return;
      case 'starred':
        this.checkTarget(t.value);
        return;
      case 'num':
      case 'str':
        this.problem('cannot assign to literal', t.span);
        return;
      case 'const':
        this.problem(t.value === '...' ? 'cannot assign to ellipsis' : `cannot assign to ${t.value}`, t.span);
        return;
      case 'call':
        this.problem('cannot assign to function call', t.span);
        return;
      default:
        this.problem('cannot assign to expression', t.span);
    }
  }

  importStmt(n: SyntaxNode): Stmt {
    const s = span(n);
    const ks = kids(n).filter((c) => c.name !== 'importList' && c.name !== '(' && c.name !== ')');
    const flat: SyntaxNode[] = [];
    for (const c of kids(n)) {
      if (c.name === 'importList') flat.push(...kids(c).filter((x) => x.name !== '(' && x.name !== ')'));
      else flat.push(c);
    }
    void ks;
    const first = this.txt(flat[0]!);
    // split into comma-separated dotted names with optional `as X`
    const parseNames = (nodes: SyntaxNode[]) => {
      const out: { dotted: string; asname: string | null; span: Span }[] = [];
      let cur: SyntaxNode[] = [];
      const flush = () => {
        if (!cur.length) return;
        const asIdx = cur.findIndex((c) => c.name === 'as');
        const nameNodes = asIdx >= 0 ? cur.slice(0, asIdx) : cur;
        const dotted = nameNodes.map((c) => this.txt(c)).join('');
        const asname = asIdx >= 0 && cur[asIdx + 1] ? this.txt(cur[asIdx + 1]!) : null;
        out.push({ dotted, asname, span: { start: cur[0]!.from, end: cur[cur.length - 1]!.to } });
        cur = [];
      };
      for (const c of nodes) {
        if (c.name === ',') flush();
        else cur.push(c);
      }
      flush();
      return out;
    };
    if (first === 'import') {
      const names = parseNames(flat.slice(1)).map((x) => ({ module: x.dotted, asname: x.asname, span: x.span }));
      return { k: 'import', names, span: s };
    }
    // from ... import ...
    const importIdx = flat.findIndex((c) => c.name === 'import');
    const modNodes = flat.slice(1, importIdx);
    let level = 0;
    let module = '';
    for (const c of modNodes) {
      const t = this.txt(c);
      if (c.name === '.' && !module) level += 1;
      else if (c.name === 'Ellipsis') level += 3;
      else module += t;
    }
    const rest = flat.slice(importIdx + 1);
    if (rest.length === 1 && rest[0]!.name === '*') return { k: 'from', module, level, names: '*', span: s };
    const names = parseNames(rest).map((x) => ({ name: x.dotted, asname: x.asname, span: x.span }));
    return { k: 'from', module, level, names, span: s };
  }

  ifStmt(n: SyntaxNode): Stmt {
    const ks = kids(n);
    const branches: { test: Expr | null; body: Stmt[] }[] = [];
    let test: Expr | null = null;
    let pendingElse = false;
    for (let i = 0; i < ks.length; i++) {
      const c = ks[i]!;
      if (c.name === 'if' || c.name === 'elif') {
        const t = ks[i + 1];
        if (t && t.name !== 'Body') {
          test = this.expr(t);
          i++;
        } else test = { k: 'unsupported', what: 'missing condition', span: span(c) };
        pendingElse = false;
      } else if (c.name === 'else') pendingElse = true;
      else if (c.name === 'Body') {
        branches.push({ test: pendingElse ? null : test, body: this.body(c) });
        test = null;
      }
    }
    return { k: 'if', branches, span: span(n) };
  }

  forStmt(n: SyntaxNode): Stmt {
    const ks = kids(n).filter((c) => c.name !== 'async');
    const inIdx = ks.findIndex((c) => c.name === 'in');
    const bodies = ks.filter((c) => c.name === 'Body');
    const firstBody = ks.findIndex((c) => c.name === 'Body');
    const target = this.exprList(ks.slice(1, inIdx), span(n), true);
    const iter = this.exprList(ks.slice(inIdx + 1, firstBody), span(n));
    this.loopDepth++;
    const body = this.body(bodies[0]);
    this.loopDepth--;
    return { k: 'for', target, iter, body, orelse: this.body(bodies[1]), span: span(n) };
  }

  tryStmt(n: SyntaxNode): Stmt {
    const ks = kids(n);
    const out: Extract<Stmt, { k: 'try' }> = { k: 'try', body: [], handlers: [], orelse: [], finalbody: [], span: span(n) };
    let mode: 'try' | 'except' | 'else' | 'finally' = 'try';
    let exceptParts: SyntaxNode[] = [];
    let exceptStart = 0;
    for (const c of ks) {
      if (c.name === 'try') mode = 'try';
      else if (c.name === 'except') {
        mode = 'except';
        exceptParts = [];
        exceptStart = c.from;
      } else if (c.name === 'else') mode = 'else';
      else if (c.name === 'finally') mode = 'finally';
      else if (c.name === 'Body') {
        const body = this.body(c);
        if (mode === 'try') out.body = body;
        else if (mode === 'else') out.orelse = body;
        else if (mode === 'finally') out.finalbody = body;
        else {
          const parts = exceptParts.filter((p) => p.name !== '*');
          const comma = parts.findIndex((p) => p.name === ',');
          if (comma >= 0) this.problem('multiple exception types must be parenthesized', span(parts[comma]!));
          const asIdx = parts.findIndex((p) => p.name === 'as' || p.name === ',');
          const typeNode = parts[0] && parts[0].name !== 'as' ? parts[0] : undefined;
          const nameNode = asIdx >= 0 ? parts[asIdx + 1] : undefined;
          out.handlers.push({
            type: typeNode ? this.expr(typeNode) : null,
            name: nameNode ? this.txt(nameNode) : null,
            body,
            span: { start: exceptStart, end: c.to },
          });
        }
      } else if (mode === 'except') exceptParts.push(c);
    }
    return out;
  }

  withStmt(n: SyntaxNode): Stmt {
    const ks = kids(n).filter((c) => c.name !== 'async' && c.name !== 'with');
    const items: { ctx: Expr; as: Expr | null }[] = [];
    let cur: SyntaxNode[] = [];
    let body: SyntaxNode | undefined;
    const flush = () => {
      if (!cur.length) return;
      const asIdx = cur.findIndex((c) => c.name === 'as');
      const ctx = this.expr(cur[0]!);
      const as = asIdx >= 0 && cur[asIdx + 1] ? this.expr(cur[asIdx + 1]!, true) : null;
      items.push({ ctx, as });
      cur = [];
    };
    for (const c of ks) {
      if (c.name === 'Body') body = c;
      else if (c.name === ',') flush();
      else cur.push(c);
    }
    flush();
    return { k: 'with', items, body: this.body(body), span: span(n) };
  }

  params(list: SyntaxNode | undefined): Param[] {
    if (!list) return [];
    const out: Param[] = [];
    let mode: 'pos' | 'kwonly' = 'pos';
    let pendingStar: 'star' | 'dstar' | null = null;
    const ks = kids(list);
    for (let i = 0; i < ks.length; i++) {
      const c = ks[i]!;
      if (c.name === '*') {
        pendingStar = 'star';
        mode = 'kwonly';
        const next = ks[i + 1];
        if (!next || next.name !== 'VariableName') pendingStar = null;
      } else if (c.name === '**') pendingStar = 'dstar';
      else if (c.name === '/' || (c.name === ',' && ks[i + 1]?.name === ',')) {
        // positional-only marker (lezer drops the `/` token): everything before is positional-only
        for (const p of out) if (p.kind === 'pos') p.kind = 'posonly';
      } else if (c.name === 'VariableName') {
        const kind = pendingStar ?? mode;
        let j = i + 1;
        if (ks[j]?.name === 'TypeDef') {
          this.walkLoads(ks[j]!);
          j++;
        }
        // default values are evaluated at definition time
        const def = ks[j]?.name === 'AssignOp' && ks[j + 1] ? this.expr(ks[j + 1]!) : null;
        if (def) j += 2;
        out.push({ name: this.txt(c), kind, default: def });
        pendingStar = null;
        i = j - 1;
      } else if (c.name === 'TypeDef') this.walkLoads(c);
    }
    return out;
  }

  funcDef(n: SyntaxNode, decorators: Expr[]): Stmt {
    const ks = kids(n);
    const nameNode = ks.find((c) => c.name === 'VariableName');
    const params = this.params(ks.find((c) => c.name === 'ParamList'));
    const typeDef = ks.find((c) => c.name === 'TypeDef');
    if (typeDef) this.walkLoads(typeDef);
    this.globalsStack.push([]);
    const savedLoops = this.loopDepth;
    this.loopDepth = 0;
    const body = this.body(ks.find((c) => c.name === 'Body'));
    this.loopDepth = savedLoops;
    const globals = this.globalsStack.pop()!;
    return {
      k: 'def',
      name: nameNode ? this.txt(nameNode) : '',
      nameSpan: nameNode ? span(nameNode) : span(n),
      params,
      decorators,
      globals,
      body,
      isAsync: ks[0]?.name === 'async',
      span: span(n),
    };
  }

  classDef(n: SyntaxNode, decorators: Expr[]): Stmt {
    const ks = kids(n);
    const nameNode = ks.find((c) => c.name === 'VariableName');
    const argList = ks.find((c) => c.name === 'ArgList');
    if (argList) this.args(argList);
    this.globalsStack.push([]);
    this.body(ks.find((c) => c.name === 'Body'));
    this.globalsStack.pop();
    return { k: 'class', name: nameNode ? this.txt(nameNode) : '', nameSpan: nameNode ? span(nameNode) : span(n), decorators, span: span(n) };
  }

  // ------------------------------------------------------------ expressions

  /** A comma-separated run of expression nodes: one expression or a tuple. */
  exprList(nodes: SyntaxNode[], s: Span, store = false): Expr {
    const parts: SyntaxNode[][] = [[]];
    for (const c of nodes) {
      if (c.name === ',') parts.push([]);
      else if (!COMMENTLIKE.has(c.name)) parts[parts.length - 1]!.push(c);
    }
    const trailingComma = parts.length > 1 && parts[parts.length - 1]!.length === 0;
    if (trailingComma) parts.pop();
    const elts = parts.filter((p) => p.length).map((p) => this.starOr(p, store));
    if (elts.length === 1 && !trailingComma && parts.length === 1) return elts[0]!;
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    return { k: 'tuple', elts, span: first && last ? { start: first.from, end: last.to } : s };
  }

  starOr(p: SyntaxNode[], store: boolean): Expr {
    if (p[0]!.name === '*' && p[1]) return { k: 'starred', value: this.expr(p[1], store), span: { start: p[0]!.from, end: p[1].to } };
    if (p.length > 1 && p.some((c) => c.type.isError)) {
      for (const c of p) if (!c.type.isError) this.expr(c, store);
      return { k: 'unsupported', what: 'syntax error', span: { start: p[0]!.from, end: p[p.length - 1]!.to } };
    }
    return this.expr(p[0]!, store);
  }

  expr(n: SyntaxNode, store = false): Expr {
    const s = span(n);
    switch (n.name) {
      case 'VariableName': {
        const id = this.txt(n);
        if (!store) this.load(id, s);
        return { k: 'name', id, span: s };
      }
      case 'Number':
        return this.number(n);
      case 'String':
      case 'FormatString':
        return this.string([n], s);
      case 'ContinuedString':
        return this.string(kids(n), s);
      case 'None':
        return { k: 'const', value: 'None', span: s };
      case 'Boolean':
        return { k: 'const', value: this.txt(n) === 'True' ? 'True' : 'False', span: s };
      case 'Ellipsis':
        return { k: 'const', value: '...', span: s };
      case 'ParenthesizedExpression': {
        const inner = kids(n).filter((c) => c.name !== '(' && c.name !== ')');
        if (inner.length === 1) return this.paren(this.expr(inner[0]!, store));
        if (inner[0]?.name === '*' && inner[1]) return { k: 'starred', value: this.expr(inner[1], store), span: s };
        return { k: 'unsupported', what: 'parenthesized expression', span: s };
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression': {
        const inner = kids(n).slice(1, -1);
        const parts: SyntaxNode[][] = [[]];
        for (const c of inner) {
          if (c.name === ',') parts.push([]);
          else parts[parts.length - 1]!.push(c);
        }
        const elts = parts.filter((p) => p.length).map((p) => this.starOr(p, store));
        const k = n.name === 'TupleExpression' ? 'tuple' : n.name === 'ArrayExpression' ? 'list' : 'set';
        return { k, elts, span: s };
      }
      case 'DictionaryExpression':
        return this.dict(n);
      case 'ComprehensionExpression':
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression':
        return this.comprehension(n);
      case 'UnaryExpression':
        return this.unary(n);
      case 'BinaryExpression':
        return this.binary(n);
      case 'ConditionalExpression': {
        const ks = kids(n).filter((c) => c.name !== 'if' && c.name !== 'else');
        return { k: 'ifexp', body: this.expr(ks[0]!), test: this.expr(ks[1]!), orelse: this.expr(ks[2]!), span: s };
      }
      case 'LambdaExpression': {
        const ks = kids(n);
        const params = this.params(ks.find((c) => c.name === 'ParamList'));
        const bodyNode = ks[ks.length - 1]!;
        return { k: 'lambda', params, body: this.expr(bodyNode), span: s };
      }
      case 'CallExpression': {
        const ks = kids(n);
        const func = this.expr(ks[0]!);
        const argList = ks.find((c) => c.name === 'ArgList');
        return { k: 'call', func, args: argList ? this.args(argList) : [], span: s };
      }
      case 'MemberExpression': {
        const ks = kids(n);
        const obj = this.expr(ks[0]!);
        const prop = ks.find((c) => c.name === 'PropertyName');
        if (prop && ks[1]?.name === '.') return { k: 'attr', obj, name: this.txt(prop), span: s };
        const inner = ks.slice(1).filter((c) => c.name !== '[' && c.name !== ']');
        return { k: 'subscript', obj, index: this.subscript(inner, s), span: s };
      }
      case 'NamedExpression': {
        const ks = kids(n);
        const value = this.expr(ks[2]!);
        return { k: 'named', target: this.txt(ks[0]!), value, span: s };
      }
      case 'AwaitExpression':
      case 'YieldExpression':
        this.walkLoads(n);
        return { k: 'unsupported', what: n.name, span: s };
      default:
        if (!n.type.isError) this.walkLoads(n);
        return { k: 'unsupported', what: n.type.isError ? 'syntax error' : n.name, span: s };
    }
  }

  /** mark a node as coming from parentheses so boolean re-association stops there */
  paren(e: Expr): Expr {
    parenthesized.add(e);
    return e;
  }

  number(n: SyntaxNode): Expr {
    const text = this.txt(n);
    const t = text.replace(/_/g, '');
    if (/^0\d*[1-9]\d*$/.test(t)) {
      this.problem('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', span(n));
    }
    return { k: 'num', text, span: span(n) };
  }

  subscript(inner: SyntaxNode[], s: Span): Expr {
    // split on commas (tuple index) and colons (slices)
    const parts: SyntaxNode[][] = [[]];
    for (const c of inner) {
      if (c.name === ',') parts.push([]);
      else parts[parts.length - 1]!.push(c);
    }
    const one = (p: SyntaxNode[]): Expr => {
      if (!p.some((c) => c.name === ':')) return p.length ? this.expr(p[0]!) : { k: 'unsupported', what: 'empty subscript', span: s };
      const segs: (Expr | null)[] = [null];
      for (const c of p) {
        if (c.name === ':') segs.push(null);
        else segs[segs.length - 1] = this.expr(c);
      }
      const first = p[0]!;
      const last = p[p.length - 1]!;
      return { k: 'slice', lower: segs[0] ?? null, upper: segs[1] ?? null, step: segs[2] ?? null, span: { start: first.from, end: last.to } };
    };
    const elts = parts.filter((p) => p.length).map(one);
    if (elts.length === 1 && parts.length === 1) return elts[0]!;
    return { k: 'tuple', elts, span: s };
  }

  args(list: SyntaxNode): Arg[] {
    const ks = kids(list).filter((c) => c.name !== '(' && c.name !== ')');
    if (ks.some((c) => c.name === 'for')) {
      // f(x for x in y): a bare generator is the only argument
      return [{ kind: 'pos', value: this.compFromParts(ks, 'gen', span(list)) }];
    }
    const parts: SyntaxNode[][] = [[]];
    for (const c of ks) {
      if (c.name === ',') parts.push([]);
      else parts[parts.length - 1]!.push(c);
    }
    const out: Arg[] = [];
    for (const p of parts) {
      if (!p.length) continue;
      if (p[0]!.name === '*' && p[1]) out.push({ kind: 'star', value: this.expr(p[1]) });
      else if (p[0]!.name === '**' && p[1]) out.push({ kind: 'dstar', value: this.expr(p[1]) });
      else if (p[1]?.name === 'AssignOp' && p[2] && p[0]!.name === 'VariableName') {
        if (this.txt(p[1]) === ':=') out.push({ kind: 'pos', value: { k: 'named', target: this.txt(p[0]!), value: this.expr(p[2]), span: { start: p[0]!.from, end: p[2].to } } });
        else out.push({ kind: 'kw', name: this.txt(p[0]!), value: this.expr(p[2]) });
      } else if (p.some((c) => c.name === 'for')) {
        // a bare generator argument: f(x for x in y)
        out.push({ kind: 'pos', value: this.compFromParts(p, 'gen', { start: p[0]!.from, end: p[p.length - 1]!.to }) });
      } else out.push({ kind: 'pos', value: this.expr(p[0]!) });
    }
    return out;
  }

  dict(n: SyntaxNode): Expr {
    const inner = kids(n).slice(1, -1);
    const items: ({ key: Expr; value: Expr } | { spread: Expr })[] = [];
    const parts: SyntaxNode[][] = [[]];
    for (const c of inner) {
      if (c.name === ',') parts.push([]);
      else parts[parts.length - 1]!.push(c);
    }
    for (const p of parts) {
      if (!p.length) continue;
      if (p[0]!.name === '**' && p[1]) items.push({ spread: this.expr(p[1]) });
      else {
        const colon = p.findIndex((c) => c.name === ':');
        if (colon > 0 && p[colon + 1]) items.push({ key: this.expr(p[0]!), value: this.expr(p[colon + 1]!) });
      }
    }
    return { k: 'dict', items, span: span(n) };
  }

  comprehension(n: SyntaxNode): Expr {
    const kind = n.name === 'ArrayComprehensionExpression' ? 'list' : n.name === 'SetComprehensionExpression' ? 'set' : n.name === 'DictionaryComprehensionExpression' ? 'dict' : 'gen';
    return this.compFromParts(kids(n).slice(1, -1), kind, span(n));
  }

  compFromParts(ks: SyntaxNode[], kind: 'list' | 'set' | 'gen' | 'dict', s: Span): Expr {
    const firstFor = ks.findIndex((c) => c.name === 'for' || c.name === 'async');
    const head = ks.slice(0, firstFor);
    // generators: for TARGET in ITER (if COND)*
    const gens: Comprehension[] = [];
    let i = firstFor;
    const targetsSeen: string[] = [];
    while (i < ks.length) {
      if (ks[i]!.name === 'async') i++;
      if (ks[i]?.name !== 'for') break;
      const inIdx = ks.findIndex((c, j) => j > i && c.name === 'in');
      if (inIdx < 0 || !ks[inIdx + 1]) break;
      const targetNodes = ks.slice(i + 1, inIdx);
      const target = this.exprList(targetNodes, s, true);
      for (const t of targetNodes) if (t.name === 'VariableName') targetsSeen.push(this.txt(t));
      const iter = this.expr(ks[inIdx + 1]!);
      i = inIdx + 2;
      const ifs: Expr[] = [];
      while (ks[i]?.name === 'if' && ks[i + 1]) {
        ifs.push(this.expr(ks[i + 1]!));
        i += 2;
      }
      gens.push({ target, iter, ifs });
    }
    let elt: Expr;
    let value: Expr | null = null;
    if (kind === 'dict') {
      const colon = head.findIndex((c) => c.name === ':');
      elt = this.expr(head[0]!);
      value = head[colon + 1] ? this.expr(head[colon + 1]!) : null;
    } else elt = head[0]?.name === '*' ? { k: 'unsupported', what: 'starred', span: s } : this.expr(head[0]!);
    return { k: 'comp', kind, elt, value, gens, span: s };
  }

  unary(n: SyntaxNode): Expr {
    const ks = kids(n);
    const opText = this.txt(ks[0]!);
    if (opText === 'not') {
      // lezer lets `not` swallow a following and/or chain; Python binds `not`
      // tighter than `and`/`or`: re-associate over the flattened sequence.
      return this.boolChain(n);
    }
    const operand = this.expr(ks[1]!);
    return { k: 'unary', op: opText as '-' | '+' | '~', operand, span: span(n) };
  }

  binary(n: SyntaxNode): Expr {
    const ks = kids(n);
    const op = ks[1]!;
    const opText = this.txt(op);
    if (op.name === 'and' || op.name === 'or') return this.boolChain(n);
    if (op.name === 'CompareOp' || op.name === 'in' || op.name === 'not' || op.name === 'is') return this.compare(n);
    const left = this.expr(ks[0]!);
    const right = this.expr(ks[ks.length - 1]!);
    return { k: 'bin', op: opText, left, right, span: span(n) };
  }

  compare(n: SyntaxNode): Expr {
    // flatten a left-nested chain of unparenthesized comparisons: a < b < c
    const ks = kids(n);
    const leftNode = ks[0]!;
    const opNodes = ks.slice(1, -1);
    const rightNode = ks[ks.length - 1]!;
    const op = opNodes.map((o) => this.txt(o)).join(' ');
    if (op === '<>') this.problem('invalid syntax', span(opNodes[0]!));
    const right = this.expr(rightNode);
    if (leftNode.name === 'BinaryExpression' && this.isCompareNode(leftNode)) {
      const inner = this.compare(leftNode);
      if (inner.k === 'compare') return { k: 'compare', first: inner.first, rest: [...inner.rest, { op, right }], span: span(n) };
    }
    return { k: 'compare', first: this.expr(leftNode), rest: [{ op, right }], span: span(n) };
  }

  isCompareNode(n: SyntaxNode): boolean {
    const op = n.firstChild?.nextSibling;
    return !!op && (op.name === 'CompareOp' || op.name === 'in' || op.name === 'not' || op.name === 'is');
  }

  /** Re-parse a run of and/or/not with Python's precedence: or < and < not. */
  boolChain(n: SyntaxNode): Expr {
    type Tok = { op: 'and' | 'or' | 'not'; span: Span } | { e: Expr };
    const toks: Tok[] = [];
    const flatten = (x: SyntaxNode) => {
      if (x.name === 'BinaryExpression') {
        const op = x.firstChild?.nextSibling;
        if (op && (op.name === 'and' || op.name === 'or')) {
          flatten(x.firstChild!);
          toks.push({ op: op.name, span: span(op) });
          flatten(x.lastChild!);
          return;
        }
      }
      if (x.name === 'UnaryExpression' && x.firstChild && this.txt(x.firstChild) === 'not') {
        toks.push({ op: 'not', span: span(x.firstChild) });
        flatten(x.lastChild!);
        return;
      }
      toks.push({ e: this.expr(x) });
    };
    flatten(n);
    let pos = 0;
    const parseOr = (): Expr => {
      let left = parseAnd();
      while (pos < toks.length && 'op' in toks[pos]! && (toks[pos] as { op: string }).op === 'or') {
        pos++;
        const right = parseAnd();
        left = { k: 'bool', op: 'or', left, right, span: { start: left.span.start, end: right.span.end } };
      }
      return left;
    };
    const parseAnd = (): Expr => {
      let left = parseNot();
      while (pos < toks.length && 'op' in toks[pos]! && (toks[pos] as { op: string }).op === 'and') {
        pos++;
        const right = parseNot();
        left = { k: 'bool', op: 'and', left, right, span: { start: left.span.start, end: right.span.end } };
      }
      return left;
    };
    const parseNot = (): Expr => {
      const t = toks[pos];
      if (t && 'op' in t && t.op === 'not') {
        pos++;
        const operand = parseNot();
        return { k: 'unary', op: 'not', operand, span: { start: t.span.start, end: operand.span.end } };
      }
      if (t && 'e' in t) {
        pos++;
        return t.e;
      }
      return { k: 'unsupported', what: 'syntax error', span: span(n) };
    };
    return parseOr();
  }

  string(nodes: SyntaxNode[], s: Span): Expr {
    const parts: StrPart[] = [];
    let bytes: boolean | null = null;
    for (const n of nodes) {
      const raw = this.txt(n);
      const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(raw);
      if (!m) return { k: 'unsupported', what: 'string', span: s };
      const prefix = m[1]!.toLowerCase();
      const q = m[2]!;
      const isBytes = prefix.includes('b');
      const isRaw = prefix.includes('r');
      const isF = prefix.includes('f');
      if (bytes !== null && bytes !== isBytes) {
        this.problem('cannot mix bytes and nonbytes literals', span(n));
        return { k: 'unsupported', what: 'string', span: s };
      }
      bytes = isBytes;
      const bodyStart = n.from + m[0].length;
      const closed = raw.length >= m[0].length + q.length && raw.endsWith(q);
      const bodyEnd = closed ? n.to - q.length : n.to;
      if (!closed) this.problem('unterminated string literal', span(n));
      if (!isF) {
        const decoded = decodeEscapes(this.text.slice(bodyStart, bodyEnd), isRaw, isBytes);
        if (decoded === null) return { k: 'unsupported', what: 'string escape', span: s };
        parts.push({ lit: decoded });
        continue;
      }
      // f-string: literal runs between FormatReplacement children
      let pos = bodyStart;
      for (const c of kids(n)) {
        if (c.name !== 'FormatReplacement') continue;
        const lit = this.fLiteral(pos, c.from, isRaw);
        if (lit === null) return { k: 'unsupported', what: 'string escape', span: s };
        if (lit) parts.push({ lit });
        const rep = this.replacement(c);
        if (!rep) return { k: 'unsupported', what: 'f-string', span: s };
        parts.push(rep);
        pos = c.to;
      }
      const lit = this.fLiteral(pos, bodyEnd, isRaw);
      if (lit === null) return { k: 'unsupported', what: 'string escape', span: s };
      if (lit) parts.push({ lit });
    }
    return { k: 'str', parts, bytes: !!bytes, span: s };
  }

  fLiteral(from: number, to: number, isRaw: boolean): string | null {
    if (to <= from) return '';
    const d = decodeEscapes(this.text.slice(from, to), isRaw, false);
    return d === null ? null : d.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  }

  replacement(n: SyntaxNode): StrPart | null {
    const ks = kids(n).filter((c) => c.name !== '{' && c.name !== '}');
    const exprNodes: SyntaxNode[] = [];
    let conv: string | null = null;
    let spec: StrPart[] | null = null;
    let selfDoc: string | null = null;
    for (const c of ks) {
      if (c.name === 'FormatConversion') conv = this.txt(c).slice(1);
      else if (c.name === 'FormatSelfDoc') selfDoc = this.text.slice(n.from + 1, c.to);
      else if (c.name === 'FormatSpec') spec = this.formatSpec(c);
      else exprNodes.push(c);
    }
    if (!exprNodes.length) return null;
    const expr = this.exprList(exprNodes, span(n));
    return { expr, conv, spec, selfDoc, span: span(n) };
  }

  formatSpec(n: SyntaxNode): StrPart[] {
    const parts: StrPart[] = [];
    let pos = n.from + 1; // after ':'
    for (const c of kids(n)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > pos) parts.push({ lit: this.text.slice(pos, c.from) });
      const rep = this.replacement(c);
      if (rep) parts.push(rep);
      pos = c.to;
    }
    if (n.to > pos) parts.push({ lit: this.text.slice(pos, n.to) });
    return parts;
  }
}

const parenthesized = new WeakSet<Expr>();

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

/** Resolve backslash escapes of a (non-raw) string body; null for \N{...} which we cannot resolve. */
export function decodeEscapes(body: string, isRaw: boolean, isBytes: boolean): string | null {
  if (isRaw) return body.replace(/\r\n?/g, '\n');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\r') {
      out += '\n';
      if (body[i + 1] === '\n') i++;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = body[i + 1];
    if (d === undefined) {
      out += '\\';
      break;
    }
    if (d === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (d in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[d];
      i++;
      continue;
    }
    if (/[0-7]/.test(d)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 8) & (isBytes ? 0xff : 0x1ff));
      i += m.length;
      continue;
    }
    if (d === 'x') {
      const h = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
      out += String.fromCharCode(parseInt(h, 16));
      i += 3;
      continue;
    }
    if (!isBytes && (d === 'u' || d === 'U')) {
      const len = d === 'u' ? 4 : 8;
      const h = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) return null;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) return null;
      out += String.fromCodePoint(cp);
      i += 1 + len;
      continue;
    }
    if (!isBytes && d === 'N') return null;
    // unknown escapes keep the backslash
    out += '\\' + d;
    i++;
  }
  return out;
}

/** Offset of the first bracket that is never closed (strings and comments skipped), or null. */
function unclosedBracket(text: string): { at: number; tooDeep: boolean } | null {
  const stack: number[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      while (j < text.length && !text.startsWith(q, j)) {
        if (text[j] === '\\') j++;
        else if (!triple && text[j] === '\n') break;
        j++;
      }
      i = j + q.length - 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      // CPython's tokenizer: MAXLEVEL 200, then "too many nested parentheses"
      if (stack.length >= 200) return { at: i, tooDeep: true };
      stack.push(i);
    } else if (c in pairs) {
      const top = stack[stack.length - 1];
      if (top === undefined || text[top] !== pairs[c]) return null; // a stray closer: leave it to lezer
      stack.pop();
    }
  }
  return stack.length ? { at: stack[0]!, tooDeep: false } : null;
}

export function isParenthesized(e: Expr): boolean {
  return parenthesized.has(e);
}

/**
 * Nesting this deep stops CPython too (`too many nested parentheses` past 200
 * brackets, RecursionError in its compiler for long chains); here it would
 * exhaust the stack of the recursive tree walks.
 */
const DEEP_PYTHON = 'too deeply nested to read (Python itself refuses such nesting: "too many nested parentheses" or RecursionError)';

const strictParser = parser.configure({ strict: true });
/** Past this size, a broken file is read up to the line of its first error only (CPython stops there too). */
const RECOVER_ALL_BELOW = 32 * 1024;

/**
 * lezer's error recovery costs tens of microseconds per bad token (seconds for
 * 100 kB of garbage), so a file is parsed strictly first: a valid file (the
 * usual case) in one pass; a broken one again with recovery, whole when small,
 * else up to the end of the line of its first error (at most 4 kB past it).
 */
function recoveringParse(text: string): ReturnType<typeof parser.parse> {
  try {
    return strictParser.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    if (text.length <= RECOVER_ALL_BELOW) return parser.parse(text);
    const at = Number(/No parse at (\d+)/.exec(err.message)?.[1] ?? text.length);
    const eol = text.indexOf('\n', at);
    return parser.parse(text.slice(0, Math.min(eol === -1 ? text.length : eol + 1, at + 4096)));
  }
}

/** Parse Python source; never throws. Syntax problems come back in `problems`. */
export function parsePython(text: string): PyModule {
  const bracket = unclosedBracket(text);
  // CPython stops there; so do we, before lezer and our walks recurse that deep
  if (bracket?.tooDeep) return { body: [], loads: new Map(), problems: [{ message: 'too many nested parentheses', span: { start: bracket.at, end: bracket.at + 1 } }], comments: [] };
  let tree: ReturnType<typeof parser.parse>;
  try {
    tree = recoveringParse(text);
  } catch (err) {
    // lezer builds its tree recursively: pathological nesting overflows the stack
    if (!(err instanceof RangeError)) throw err;
    return { body: [], loads: new Map(), problems: [{ message: DEEP_PYTHON, span: { start: 0, end: 0 } }], comments: [] };
  }
  const conv = new Converter(text);
  const top = tree.topNode;
  // lezer marks what it could not parse with error nodes; report one problem per line
  const errorLines = new Set<number>();
  const unclosed = bracket?.at ?? null;
  if (unclosed !== null) {
    // what CPython says, at the bracket (lezer's error nodes come later and say less)
    conv.problem(`'${text[unclosed]}' was never closed`, { start: unclosed, end: unclosed + 1 });
  }
  const comments: Span[] = [];
  const cur = tree.cursor();
  do {
    if (cur.name === 'Comment') comments.push({ start: cur.from, end: cur.to });
    if (cur.type.isError && unclosed === null) {
      const lineStart = text.lastIndexOf('\n', cur.from - 1) + 1;
      if (errorLines.has(lineStart)) continue;
      errorLines.add(lineStart);
      const at = Math.min(cur.from, text.length);
      let end = Math.max(cur.to, Math.min(text.length, at + 1));
      // widen to the whole word the parser stumbled on
      while (end < text.length && /\w/.test(text[end - 1]!) && /\w/.test(text[end]!)) end++;
      const tok = text.slice(at, end).trim();
      let message: string;
      if (at >= text.trimEnd().length) message = "invalid syntax: unexpected end of file (unclosed bracket or block?)";
      else if (tok) message = `invalid syntax near ${JSON.stringify(tok.length > 20 ? tok.slice(0, 20) + '…' : tok)}`;
      else message = 'invalid syntax';
      conv.problem(message, { start: at, end });
    }
  } while (cur.next());
  let body: Stmt[] = [];
  try {
    body = conv.block(kids(top));
  } catch (err) {
    // a tree shape we did not foresee: keep what we have, report it, never throw. After a
    // syntax error lezer's recovered tree can take any shape: that error is the report.
    if (err instanceof RangeError) conv.problem(DEEP_PYTHON, { start: 0, end: 0 });
    else if (unclosed === null && errorLines.size === 0) conv.problem(`cannot read this Python file (${(err as Error).message})`, { start: 0, end: 0 });
  }
  conv.problems.sort((a, b) => a.span.start - b.span.start);
  // after a real parse error, later complaints are mostly echoes of it: like CPython, report the first
  const problems = unclosed !== null || errorLines.size ? conv.problems.slice(0, 1) : conv.problems;
  return { body, loads: conv.loads, problems, comments };
}
