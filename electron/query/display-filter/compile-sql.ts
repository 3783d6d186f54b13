import { RE2JS } from 're2js';
import { lookupField, suggestField, type FieldDef } from './fields';
import { FilterError, quote } from './filter-error';
import { CONTAINS_FUNCTION, containsBytes, LAYER_FRAME, LAYER_TCP, LAYER_UDP } from './frame-contains';
import type { CompareOp, FieldRef, Node, SetItem, Value } from './parser';
import { foldTcpFlagTests } from './tcp-flag-mask';
import { parseAddress, parseBoolean, parseInteger, parseSecondsAsNs, sqlInt } from './values';

export type SqlParam = string | number | bigint | Buffer;

export interface CompiledFilter {
  /** A boolean SQL expression over `packets AS p`. */
  sql: string;
  /** Positional parameters for the `?` in `sql`, in order. */
  params: SqlParam[];
}

export interface CompileContext {
  /** ts_ns of the case's first packet: frame.time_relative counts from here. */
  firstTsNs: bigint;
  /**
   * The caller reads rows in id order and stops at a page (`ORDER BY id LIMIT n`): address terms
   * then test flow membership row by row instead of gathering every match through the flow index,
   * which for a busy address means sorting tens of thousands of ids to return the first 200.
   */
  rowOrder?: boolean;
}

/** Name of the SQL function behind `matches`; see sql-functions.ts. */
export const MATCHES_FUNCTION = 'flowcase_matches';

// Limits that keep a pasted monster filter from exhausting SQLite's parameter or expression limits.
const MAX_TESTS = 500;
const MAX_SET_ITEMS = 1000;
const MAX_PARAMS = 10_000;
const MAX_NEEDLE_BYTES = 4096;
/** The protocols whose bytes `contains` searches, and which bytes. */
const CONTAINS_LAYERS: Record<string, number> = { frame: LAYER_FRAME, tcp: LAYER_TCP, udp: LAYER_UDP };

/** `slow`: the fragment reads packet bytes from the capture (`contains` on a protocol). */
interface Frag { sql: string; params: SqlParam[]; slow?: boolean }

function frag(sql: string, params: SqlParam[] = [], slow = false): Frag {
  return slow ? { sql, params, slow } : { sql, params };
}

/** Joins with AND/OR as a balanced tree, so SQLite's expression depth grows with log(n), not n. */
function joinBalanced(items: Frag[], op: 'AND' | 'OR'): Frag {
  if (items.length === 1) return items[0];
  const mid = items.length >> 1;
  const a = joinBalanced(items.slice(0, mid), op);
  const b = joinBalanced(items.slice(mid), op);
  return frag(`(${a.sql} ${op} ${b.sql})`, [...a.params, ...b.params], a.slow === true || b.slow === true);
}

/** AND is commutative for these pure tests: the byte searches go last, so SQLite tries them only on rows the others pass. */
function cheapFirst(items: Frag[]): Frag[] {
  return [...items.filter((f) => f.slow !== true), ...items.filter((f) => f.slow === true)];
}

/**
 * What a test asks of one value, before it is applied to a column: "equals one of", "lies in
 * [lo, hi]", or "compares with". Addresses arrive here as byte ranges.
 */
type Condition =
  | { kind: 'eq'; value: SqlParam }
  | { kind: 'range'; lo: SqlParam; hi: SqlParam }
  | { kind: 'cmp'; op: '<' | '<=' | '>' | '>='; value: SqlParam }
  | { kind: 'contains'; value: string }
  | { kind: 'matches'; value: string }
  | { kind: 'bitand'; value: SqlParam };

/** SQL for "operand satisfies any of the conditions". */
function conditionsOn(operand: string, conds: Condition[]): Frag {
  const eqs = conds.flatMap((c) => (c.kind === 'eq' ? [c.value] : []));
  const parts: Frag[] = [];
  if (eqs.length === 1) parts.push(frag(`${operand} = ?`, eqs));
  else if (eqs.length > 1) parts.push(frag(`${operand} IN (${eqs.map(() => '?').join(', ')})`, eqs));
  for (const c of conds) {
    switch (c.kind) {
      case 'range': parts.push(frag(`${operand} BETWEEN ? AND ?`, [c.lo, c.hi])); break;
      case 'cmp': parts.push(frag(`${operand} ${c.op} ?`, [c.value])); break;
      case 'contains': parts.push(frag(`instr(${operand}, ?) > 0`, [c.value])); break;
      case 'matches': parts.push(frag(`${MATCHES_FUNCTION}(${operand}, ?)`, [c.value])); break;
      case 'bitand': parts.push(frag(`(${operand} & ?) != 0`, [c.value])); break;
      case 'eq': break;
    }
  }
  return joinBalanced(parts, 'OR');
}

/** Applies conditions to wherever the field lives, keeping Wireshark's "absent field fails" rule. */
function testField(ctx: CompileContext, def: FieldDef, conds: Condition[]): Frag {
  const src = def.source;
  switch (src.from) {
    case 'packet': {
      const any = joinBalanced(src.exprs.map((e) => conditionsOn(e, conds)), 'OR');
      return def.present === '1' ? any : frag(`(${def.present} AND ${any.sql})`, any.params);
    }
    case 'addr': {
      // The length check keeps IPv4 ranges from matching 16-byte IPv6 keys that sort between them.
      const len = def.type === 'ipv4' ? 4 : 16;
      const c = conditionsOn('bin', conds);
      const addrIds = `SELECT id FROM addrs WHERE length(bin) = ${len} AND ${c.sql}`;
      const per = src.exprs.map((e) => frag(`${e} IN (${addrIds})`, c.params));
      const any = joinBalanced(per, 'OR');
      // The case keeps no per-address index on packets (it would cost more to build than all the
      // other indexes): an address is reached through its flows, whose packets are indexed by flow.
      // IP packets without a flow (a header too short to name the transport) are kept by IS NULL.
      const viaFlows = `(${ctx.rowOrder ? '+' : ''}p.flow_id IN (SELECT f.id FROM flows f WHERE f.orig_id IN (${addrIds}) OR f.resp_id IN (${addrIds})) OR p.flow_id IS NULL)`;
      return frag(`(${def.present} AND ${viaFlows} AND ${any.sql})`, [...c.params, ...c.params, ...any.params]);
    }
    case 'table': {
      const c = conditionsOn(src.column, conds);
      const where = src.where ? `${src.where} AND ` : '';
      return frag(`p.id IN (SELECT packet_id FROM ${src.table} WHERE ${where}${c.sql})`, c.params);
    }
    case 'none':
      throw new Error(`field ${def.name} has no values`); // callers reject protocols first
  }
}

class Compiler {
  private tests = 0;
  constructor(private readonly ctx: CompileContext) {}

  compile(node: Node): Frag {
    switch (node.kind) {
      case 'and': {
        const flags = foldTcpFlagTests(node.items);
        if (flags === null) return joinBalanced(cheapFirst(node.items.map((n) => this.compile(n))), 'AND');
        // Neither "ip.proto = 6" nor "tcp_flags IS NOT NULL": the ingest stores TCP flags for TCP
        // packets only (NULL for every other packet, electron/ingest/decode-worker.ts), and a NULL
        // mask test is unknown, which AND, OR and the NOT above (coalesced) all treat as false. One
        // column read a packet instead of two: 20 ms less on a million packets.
        const folded = frag('((p.tcp_flags & ?) = ?)', [flags.mask, flags.value]);
        return joinBalanced(cheapFirst([folded, ...flags.rest.map((n) => this.compile(n))]), 'AND');
      }
      case 'or': return joinBalanced(node.items.map((n) => this.compile(n)), 'OR');
      case 'not': {
        // SQL's NULL would make NOT(unknown) unknown; a filter test is strictly true or false.
        const inner = this.compile(node.item);
        return frag(`NOT coalesce(${inner.sql}, 0)`, inner.params, inner.slow === true);
      }
      case 'exists': {
        const def = this.field(node.field);
        // A bare flag such as `tcp.flags.syn` means "the flag is set", not merely "present".
        if (def.type === 'boolean') return testField(this.ctx, def, [{ kind: 'eq', value: 1 }]);
        return frag(def.present);
      }
      case 'compare': {
        const def = this.valued(node.field, node.op, node.opPos);
        return testField(this.ctx, def, [this.compareCondition(def, node.op, node.value)]);
      }
      case 'contains': case 'matches': {
        if (node.kind === 'contains' && Object.hasOwn(CONTAINS_LAYERS, node.field.name)) return this.bytesContain(node.field, node.value, node.opPos);
        const def = this.valued(node.field, node.kind, node.opPos);
        if (def.type !== 'string') {
          throw new FilterError(`"${node.kind}" needs a string field, but ${def.name} is ${article(def.type)}`, node.opPos, 'string field');
        }
        if (node.kind === 'contains') return testField(this.ctx, def, [{ kind: 'contains', value: node.value.text }]);
        return testField(this.ctx, def, [{ kind: 'matches', value: checkedPattern(node.value) }]);
      }
      case 'bitand': {
        const def = this.valued(node.field, '&', node.opPos);
        if (def.type !== 'number') {
          throw new FilterError(`"&" needs a number field, but ${def.name} is ${article(def.type)}`, node.opPos, 'number field');
        }
        return testField(this.ctx, def, [{ kind: 'bitand', value: sqlInt(parseInteger(node.value)) }]);
      }
      case 'in': {
        const def = this.valued(node.field, 'in', node.opPos);
        if (node.items.length > MAX_SET_ITEMS) {
          throw new FilterError(`a set can hold at most ${MAX_SET_ITEMS} values`, node.items[MAX_SET_ITEMS].lo.pos);
        }
        return testField(this.ctx, def, node.items.map((item) => this.setCondition(def, item)));
      }
    }
  }

  /** `frame contains "GET"`, `udp contains 0a:0b`: a search in the packet's bytes (frame-contains.ts). */
  private bytesContain(ref: FieldRef, value: Value, opPos: number): Frag {
    this.field(ref);
    const needle = containsBytes(value.text, value.quoted);
    if (needle === null) {
      throw new FilterError(`${quote(value.text)} is neither a quoted string nor bytes such as 0a:0b:0c`, value.pos, 'string or bytes');
    }
    if (needle.length === 0) throw new FilterError('"contains" needs at least one byte to look for', value.pos, 'string or bytes');
    if (needle.length > MAX_NEEDLE_BYTES) throw new FilterError(`"contains" looks for at most ${MAX_NEEDLE_BYTES} bytes`, value.pos);
    const layer = CONTAINS_LAYERS[ref.name];
    const call = `${CONTAINS_FUNCTION}(${layer}, p.capture_id, p.if_index, p.data_offset, coalesce(p.caplen, p.origlen), p.origlen, ?, ${opPos})`;
    // ICMP and ICMPv6 errors carry a quoted TCP or UDP header, which tshark searches as well.
    return frag(layer === LAYER_FRAME ? call : `(p.ip_proto IN (${layer}, 1, 58) AND ${call})`, [needle], true);
  }

  private field(ref: FieldRef): FieldDef {
    if (++this.tests > MAX_TESTS) throw new FilterError(`the filter has more than ${MAX_TESTS} tests`, ref.pos);
    const def = lookupField(ref.name);
    if (def) return def;
    const hint = ref.name.length <= 64 ? suggestField(ref.name) : undefined;
    const err = new FilterError(`unknown field ${quote(ref.name)}`, ref.pos, 'field');
    if (hint) err.message += ` (did you mean ${hint}?)`;
    throw err;
  }

  /** A field that is being compared with a value: protocols have no value to compare. */
  private valued(ref: FieldRef, op: string, opPos: number): FieldDef {
    const def = this.field(ref);
    if (def.type === 'protocol') {
      throw new FilterError(`${def.name} is a protocol and can only be tested for presence ("${def.name}" or "!${def.name}"), not with "${op}"`, opPos, 'presence test');
    }
    return def;
  }

  private compareCondition(def: FieldDef, op: CompareOp, v: Value): Condition {
    if (def.type === 'ipv4' || def.type === 'ipv6') {
      const { lo, hi } = parseAddress(v, def.type === 'ipv4' ? 4 : 6);
      // A CIDR value stands for its whole block: equal means inside, "<" means below all of it.
      switch (op) {
        case '==': return lo.equals(hi) ? { kind: 'eq', value: lo } : { kind: 'range', lo, hi };
        case '<': case '>=': return { kind: 'cmp', op, value: lo };
        case '<=': case '>': return { kind: 'cmp', op, value: hi };
      }
    }
    const value = this.scalar(def, v);
    return op === '==' ? { kind: 'eq', value } : { kind: 'cmp', op, value };
  }

  private setCondition(def: FieldDef, item: SetItem): Condition {
    if (def.type === 'ipv4' || def.type === 'ipv6') {
      const family = def.type === 'ipv4' ? 4 : 6;
      const lo = parseAddress(item.lo, family);
      if (!item.hi) return lo.lo.equals(lo.hi) ? { kind: 'eq', value: lo.lo } : { kind: 'range', lo: lo.lo, hi: lo.hi };
      return { kind: 'range', lo: lo.lo, hi: parseAddress(item.hi, family).hi };
    }
    if (!item.hi) return { kind: 'eq', value: this.scalar(def, item.lo) };
    if (def.type !== 'number' && def.type !== 'time') {
      throw new FilterError(`ranges ("..") need a number, time or address field, but ${def.name} is ${article(def.type)}`, item.rangePos ?? item.lo.pos, 'value');
    }
    return { kind: 'range', lo: this.scalar(def, item.lo), hi: this.scalar(def, item.hi) };
  }

  /** A non-address value, typed for the field's column. */
  private scalar(def: FieldDef, v: Value): SqlParam {
    switch (def.type) {
      case 'number': return sqlInt(parseInteger(v));
      case 'boolean': return parseBoolean(v);
      case 'string': return v.text;
      case 'time': {
        const ns = parseSecondsAsNs(v) + (def.timeBase === 'first' ? this.ctx.firstTsNs : 0n);
        if (ns < -(2n ** 63n) || ns >= 2n ** 63n) throw new FilterError(`${quote(v.text)} is out of range`, v.pos, 'seconds');
        return sqlInt(ns);
      }
      default: throw new Error(`no scalar values for ${def.type}`); // addresses and protocols are handled by callers
    }
  }
}

function article(type: string): string {
  return type === 'ipv4' ? 'an IPv4 address' : type === 'ipv6' ? 'an IPv6 address' : `a ${type}`;
}

/**
 * Validates a `matches` pattern now, so a bad one is a FilterError with a position rather than an
 * SQLite error later. Like Wireshark, matching is case-insensitive unless the pattern starts with (?-i).
 */
function checkedPattern(v: Value): string {
  if (v.text.length > MAX_PATTERN_LENGTH) {
    throw new FilterError(`the regular expression is ${v.text.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`, v.pos, 'regular expression');
  }
  try {
    compileMatchPattern(v.text);
  } catch (e) {
    // re2js: "error parsing regexp: missing closing ): `(abc`" → "missing closing )"
    const reason = (e as Error).message.replace(/^error parsing regexp:\s*/, '').replace(/:\s*`[\s\S]*`$/, '').slice(0, 80);
    throw new FilterError(`${quote(v.text)} is not a valid regular expression (${reason}; Flowcase uses RE2 syntax: no backreferences or lookaround)`, v.pos, 'regular expression');
  }
  return v.text;
}

/** Patterns are compiled to an automaton whose size grows with the pattern: keep it small. */
export const MAX_PATTERN_LENGTH = 1024;

/** A compiled `matches` pattern: test() answers "does it occur anywhere in the text". */
export interface MatchPattern { test(text: string): boolean }

/**
 * Pattern text → matcher, shared by the compile-time check and the SQL function. Packet text is
 * attacker-controlled, so `matches` runs on RE2 (re2js): time linear in the text for every
 * pattern, where a backtracking engine takes exponential time on `^(a+)+$` against "aaa…b".
 */
export function compileMatchPattern(pattern: string): MatchPattern {
  let body = pattern, flags = RE2JS.CASE_INSENSITIVE;
  if (pattern.startsWith('(?-i)')) { body = pattern.slice(5); flags = 0; }
  else if (pattern.startsWith('(?i)')) body = pattern.slice(4);
  const re = RE2JS.compile(body, flags);
  return { test: (text: string) => re.matcher(text).find() };
}

export function compileNode(node: Node, ctx: CompileContext): CompiledFilter {
  const out = new Compiler(ctx).compile(node);
  if (out.params.length > MAX_PARAMS) throw new FilterError(`the filter is too large (more than ${MAX_PARAMS} values)`, 0);
  return out;
}
