import { FilterError, quote } from './filter-error';
import { tokenize, type Token, type TokenKind } from './lexer';

/**
 * The filter as a tree. Values stay as the user wrote them (text + position); the compiler
 * interprets them against the field's type, because `10.0.0.1` is an address for ip.addr but a
 * string for dns.qry.name.
 */
export type CompareOp = '==' | '<' | '<=' | '>' | '>=';

export interface Value {
  text: string;
  quoted: boolean;
  pos: number;
}

export interface SetItem {
  lo: Value;
  /** Present for a range `lo..hi`, with the position of its "..". */
  hi?: Value;
  rangePos?: number;
}

export interface FieldRef {
  name: string;
  pos: number;
}

export type Node =
  | { kind: 'and' | 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'exists'; field: FieldRef }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Value; opPos: number }
  | { kind: 'contains' | 'matches' | 'bitand'; field: FieldRef; value: Value; opPos: number }
  | { kind: 'in'; field: FieldRef; items: SetItem[]; opPos: number };

/** Deep nesting would overflow the JS stack here or SQLite's expression depth later. */
export const MAX_DEPTH = 64;

// Word spellings of the symbolic operators (Wireshark accepts both).
const WORD_OPS: Record<string, TokenKind> = {
  and: '&&', or: '||', not: '!', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
};
const KEYWORDS = new Set([...Object.keys(WORD_OPS), 'contains', 'matches', 'in']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.i]; }
  private next(): Token { return this.tokens[this.i++]; }

  /** The operator a token stands for, whether written as a symbol or as a word. */
  private opOf(t: Token): TokenKind | 'contains' | 'matches' | 'in' | null {
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w in WORD_OPS) return WORD_OPS[w];
      if (w === 'contains' || w === 'matches' || w === 'in') return w;
      return null;
    }
    return t.kind;
  }

  parse(): Node {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      const hint = t.kind === ')' ? 'this ")" has no matching "("' : `unexpected ${describe(t)}; expected "&&", "||" or the end of the filter`;
      throw new FilterError(hint, t.pos, 'operator');
    }
    return node;
  }

  private parseOr(): Node {
    const items = [this.parseAnd()];
    while (this.opOf(this.peek()) === '||') { this.next(); items.push(this.parseAnd()); }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private parseAnd(): Node {
    const items = [this.parseNot()];
    while (this.opOf(this.peek()) === '&&') { this.next(); items.push(this.parseNot()); }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private parseNot(): Node {
    const t = this.peek();
    if (this.opOf(t) === '!') {
      this.next();
      return { kind: 'not', item: this.nested(t, () => this.parseNot()) };
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.nested(t, () => this.parseOr());
      const close = this.peek();
      if (close.kind !== ')') {
        throw new FilterError(`expected ")" to close the "(" at column ${t.pos + 1}, found ${describe(close)}`, close.pos, ')');
      }
      this.next();
      return inner;
    }
    return this.parseTest();
  }

  private nested(at: Token, body: () => Node): Node {
    if (++this.depth > MAX_DEPTH) throw new FilterError(`the filter nests more than ${MAX_DEPTH} levels deep`, at.pos);
    const node = body();
    this.depth--;
    return node;
  }

  private parseTest(): Node {
    const t = this.peek();
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase())) {
      throw new FilterError(`expected a field or protocol name, found ${describe(t)}`, t.pos, 'field');
    }
    this.next();
    const field: FieldRef = { name: t.text, pos: t.pos };
    const opTok = this.peek();
    const op = this.opOf(opTok);
    switch (op) {
      case '==': case '<': case '<=': case '>': case '>=': {
        this.next();
        return { kind: 'compare', field, op, value: this.parseValue(opTok), opPos: opTok.pos };
      }
      case '!=': {
        // Wireshark: "a != b" always means "!(a == b)", so a packet without the field matches.
        this.next();
        return { kind: 'not', item: { kind: 'compare', field, op: '==', value: this.parseValue(opTok), opPos: opTok.pos } };
      }
      case 'contains': case 'matches': case '&': {
        this.next();
        return { kind: op === '&' ? 'bitand' : op, field, value: this.parseValue(opTok), opPos: opTok.pos };
      }
      case 'in': {
        this.next();
        return { kind: 'in', field, items: this.parseSet(opTok), opPos: opTok.pos };
      }
      case '!': {
        // `field not in {...}`; any other "not" here is a missing "&&".
        const after = this.tokens[this.i + 1];
        if (opTok.kind === 'word' && this.opOf(after) === 'in') {
          this.i += 2;
          return { kind: 'not', item: { kind: 'in', field, items: this.parseSet(after), opPos: opTok.pos } };
        }
        return { kind: 'exists', field };
      }
      default:
        return { kind: 'exists', field };
    }
  }

  private parseValue(after: Token): Value {
    const t = this.peek();
    if (t.kind === 'string' || (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase()))) {
      this.next();
      return { text: t.text, quoted: t.kind === 'string', pos: t.pos };
    }
    throw new FilterError(`expected a value after ${quote(after.text)}${t.kind === 'eof' ? '' : `, found ${describe(t)}`}`, t.pos, 'value');
  }

  private parseSet(inTok: Token): SetItem[] {
    const open = this.peek();
    if (open.kind !== '{') throw new FilterError(`expected "{" after "${inTok.text}", found ${describe(open)}`, open.pos, '{');
    this.next();
    const items: SetItem[] = [];
    let prev: Token = open;
    for (;;) {
      const t = this.peek();
      if (t.kind === '}') {
        if (items.length === 0) throw new FilterError('a set needs at least one value', t.pos, 'value');
        this.next();
        return items;
      }
      if (t.kind === 'eof') throw new FilterError(`expected "}" to close the set opened at column ${open.pos + 1}`, t.pos, '}');
      if (t.kind === ',' && items.length > 0 && prev.kind !== ',') { prev = this.next(); continue; }
      const lo = this.parseValue(prev);
      prev = this.tokens[this.i - 1];
      if (this.peek().kind === '..') {
        const dots = this.next();
        items.push({ lo, hi: this.parseValue(dots), rangePos: dots.pos });
        prev = this.tokens[this.i - 1];
      } else {
        items.push({ lo });
      }
    }
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the filter';
  if (t.kind === 'string') return `the string ${quote(t.text)}`;
  return quote(t.text);
}

/** Parses filter text into a tree; throws FilterError with the offending position. */
export function parseFilter(text: string): Node {
  return new Parser(tokenize(text)).parse();
}
