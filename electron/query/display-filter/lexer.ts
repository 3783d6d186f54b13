import { FilterError, quote } from './filter-error';

/**
 * Tokens of the display-filter language. Words cover field names, keywords and unquoted values
 * alike (`tcp.port`, `and`, `10.0.0.0/8`, `fe80::1`, `example.com`): which one a word is depends on
 * where the parser meets it, as in Wireshark, where an unquoted value is a "literal".
 */
export type TokenKind =
  | 'word' | 'string'
  | '(' | ')' | '{' | '}' | ',' | '..'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '!' | '&'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The word, or the unescaped content of a string. */
  text: string;
  /** 0-based offset of the token's first character. */
  pos: number;
  /** Characters the token spans in the source (a string's quotes included). */
  length: number;
}

const PUNCT: ReadonlyArray<TokenKind> = ['==', '!=', '<=', '>=', '&&', '||', '..', '(', ')', '{', '}', ',', '<', '>', '!', '&'];

// Wireshark literals may hold dots (names, IPv4), colons (IPv6, MACs), slashes (CIDR) and dashes (host names).
function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_.:/\-]/.test(c);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', '"': '"', "'": "'", n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v',
};

/** Reads a double-quoted string starting at `start` (the quote); returns its content and end. */
function readString(src: string, start: number): { text: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') return { text: out, end: i + 1 };
    if (c !== '\\') { out += c; i++; continue; }
    const e = src[i + 1];
    if (e === undefined) break;
    if (Object.hasOwn(SIMPLE_ESCAPES, e)) { out += SIMPLE_ESCAPES[e]; i += 2; continue; }
    // Look only a few characters ahead, so a long string with many escapes stays linear.
    const hex = e === 'x' ? /^[0-9A-Fa-f]{2}/.exec(src.slice(i + 2, i + 4))
      : e === 'u' ? /^[0-9A-Fa-f]{4}/.exec(src.slice(i + 2, i + 6)) : null;
    if (hex) { out += String.fromCodePoint(parseInt(hex[0], 16)); i += 2 + hex[0].length; continue; }
    const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4));
    if (oct && parseInt(oct[0], 8) <= 0xff) { out += String.fromCharCode(parseInt(oct[0], 8)); i += 1 + oct[0].length; continue; }
    throw new FilterError(`invalid escape "\\${e}" in string (use \\\\ for a backslash)`, i, 'escape');
  }
  throw new FilterError('unterminated string: add the closing "', start, '"');
}

/**
 * Reads a raw string r"..." starting at `start` (the r): backslashes stay as written, which is what
 * a `matches` pattern wants. `\"` still does not end the string, and keeps its backslash.
 */
function readRawString(src: string, start: number): { text: string; end: number } {
  let i = start + 2;
  while (i < src.length) {
    if (src[i] === '"') return { text: src.slice(start + 2, i), end: i + 1 };
    i += src[i] === '\\' ? 2 : 1;
  }
  throw new FilterError('unterminated string: add the closing "', start, '"');
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || ((c === 'r' || c === 'R') && src[i + 1] === '"')) {
      const { text, end } = c === '"' ? readString(src, i) : readRawString(src, i);
      tokens.push({ kind: 'string', text, pos: i, length: end - i });
      i = end;
      continue;
    }
    // A word stops before "..", so the set range `1..5` lexes as 1, .., 5.
    if (isWordChar(c) && !src.startsWith('..', i)) {
      let j = i;
      while (j < src.length && isWordChar(src[j]) && !src.startsWith('..', j)) j++;
      tokens.push({ kind: 'word', text: src.slice(i, j), pos: i, length: j - i });
      i = j;
      continue;
    }
    const punct = PUNCT.find((p) => src.startsWith(p, i));
    if (punct) {
      tokens.push({ kind: punct, text: punct, pos: i, length: punct.length });
      i += punct.length;
      continue;
    }
    if (c === '=') throw new FilterError('unexpected "=": use "==" to compare', i, '==');
    if (c === "'") throw new FilterError('strings use double quotes, not single quotes', i, '"');
    if (c === '|') throw new FilterError('unexpected "|": use "||" or "or"', i, '||');
    throw new FilterError(`unexpected character ${quote(c)}`, i);
  }
  tokens.push({ kind: 'eof', text: '', pos: src.length, length: 0 });
  return tokens;
}
