/**
 * Values as PHP's INI parser computes them in INI_SCANNER_NORMAL mode
 * (zend_ini_parser.y): pieces concatenate, bare names that are PHP constants
 * are replaced by their value, `|` `&` `^` `~` `!` work on C ints, On/Yes/True
 * are "1", Off/No/False/None/Null are "".
 *
 * `${NAME}` reads the running PHP's configuration, then the environment, so a
 * value that uses it is *dynamic*: it is shown as `{ dynamic: "<source>" }`
 * unless the caller supplies the environment.
 */
import type { IniAtom, IniExpr, IniValueNode } from './ast.js';
import { BUILD_DEPENDENT_CONSTANTS, PHP_CONSTANTS } from './constants.js';

/** A value that depends on the environment; `dynamic` is its source text. */
export interface DynamicValue {
  dynamic: string;
}

export type IniScalar = string | DynamicValue;

export function isDynamic(v: unknown): v is DynamicValue {
  return typeof v === 'object' && v !== null && typeof (v as DynamicValue).dynamic === 'string';
}

/** The result of evaluating: the string PHP would compute (with unknown variables read as ""), and whether it depends on the environment. */
export interface Evaluated {
  value: string;
  dynamic: boolean;
  /** the `${NAME}` names read, in order */
  variables: string[];
}

export interface EvalOptions {
  /**
   * `${NAME}`: the value when known. Return undefined for "depends on the
   * environment" (the value then counts as dynamic and the name reads as "").
   */
  variable?: (name: string) => string | undefined;
  /** Constant lookup; default: PHP 8.2's constants (`php -n`). Return undefined when NAME is not a constant, null when it is build-dependent. */
  constant?: (name: string) => string | null | undefined;
}

/** PHP 8.2's constant table (php -n); null for build-dependent ones (versions, paths). */
export function phpConstant(name: string): string | null | undefined {
  if (!Object.prototype.hasOwnProperty.call(PHP_CONSTANTS, name)) return undefined;
  if (BUILD_DEPENDENT_CONSTANTS.has(name)) return null;
  return PHP_CONSTANTS[name];
}

class Ctx {
  dynamic = false;
  variables: string[] = [];
  constructor(readonly opts: EvalOptions) {}
  variable(name: string): string {
    this.variables.push(name);
    const v = this.opts.variable?.(name);
    if (v === undefined) {
      this.dynamic = true;
      return '';
    }
    return v;
  }
  constant(name: string): string {
    const v = (this.opts.constant ?? phpConstant)(name);
    if (v === undefined) return name;
    if (v === null) {
      this.dynamic = true;
      return PHP_CONSTANTS[name] ?? name;
    }
    return v;
  }
}

/** C's atoi as glibc does it ((int) strtol(s, NULL, 10)): leading blanks, sign, digits; saturates, then keeps the low 32 bits. */
export function cAtoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return 0;
  let n = BigInt(m[2]!);
  if (m[1] === '-') n = -n;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (n > max) n = max;
  if (n < min) n = min;
  return Number(BigInt.asIntN(32, n));
}

function atomValue(a: IniAtom, ctx: Ctx, lookupConstants: boolean): string {
  switch (a.kind) {
    case 'constant':
      return lookupConstants ? ctx.constant(a.name) : a.name;
    case 'number':
    case 'string':
    case 'whitespace':
    case 'raw':
      return a.text;
    case 'var':
      return ctx.variable(a.name);
    case 'quoted':
      return a.parts.map((p) => (p.kind === 'text' ? p.text : ctx.variable(p.name))).join('');
  }
}

function exprValue(e: IniExpr, ctx: Ctx): string {
  switch (e.kind) {
    case 'concat':
      return e.atoms.map((a) => atomValue(a, ctx, true)).join('');
    case 'keyword':
      return e.word === 'true' ? '1' : '';
    case 'paren':
      return exprValue(e.expr, ctx);
    case 'unary': {
      const v = cAtoi(exprValue(e.operand, ctx));
      return String(e.op === '~' ? ~v : v === 0 ? 1 : 0);
    }
    case 'binary': {
      // `a | b | c ...` is a left-deep tree: fold it along its left spine, not by recursion
      // (thousands of terms must not exhaust the stack)
      const chain: Extract<IniExpr, { kind: 'binary' }>[] = [];
      let left: IniExpr = e;
      while (left.kind === 'binary') {
        chain.push(left);
        left = left.left;
      }
      let acc = cAtoi(exprValue(left, ctx));
      for (let i = chain.length - 1; i >= 0; i--) {
        const b = chain[i]!;
        const r = cAtoi(exprValue(b.right, ctx));
        acc = b.op === '|' ? acc | r : b.op === '&' ? acc & r : acc ^ r;
      }
      return String(acc);
    }
  }
}

/** Evaluate a value expression (null: `key =` with nothing after it). */
export function evaluateExpr(expr: IniExpr | null, opts: EvalOptions = {}): Evaluated {
  const ctx = new Ctx(opts);
  const value = expr ? exprValue(expr, ctx) : '';
  return { value, dynamic: ctx.dynamic, variables: ctx.variables };
}

export function evaluateValue(value: IniValueNode | null, opts: EvalOptions = {}): Evaluated {
  return evaluateExpr(value?.expr ?? null, opts);
}

/**
 * Evaluate pieces that concatenate: a section name (`lookupConstants` false:
 * PHP does not replace constants there) or an array offset (true).
 */
export function evaluateAtoms(atoms: IniAtom[], lookupConstants: boolean, opts: EvalOptions = {}): Evaluated {
  const ctx = new Ctx(opts);
  const value = atoms.map((a) => atomValue(a, ctx, lookupConstants)).join('');
  return { value, dynamic: ctx.dynamic, variables: ctx.variables };
}
