import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FIELDS, FilterError, registerFilterFunctions } from '../../../electron/query/display-filter/index.js';
import { buildCase, T0 } from './case-fixture.js';

const db = buildCase();
registerFilterFunctions(db);

function count(filter: string): number {
  const { sql, params } = compileFilter(filter, { firstTsNs: T0 });
  return (db.prepare(`SELECT count(*) AS n FROM packets AS p WHERE ${sql}`).get(...params) as { n: number }).n;
}

const INJECTIONS = [
  `dns.qry.name == "x') OR 1=1 --"`,
  `dns.qry.name == "x\\" OR 1=1 --"`,
  `http.host == "' OR '1'='1"`,
  `dns.qry.name contains "'; DROP TABLE packets; --"`,
  `dns.qry.name matches "'\\\\); DELETE FROM packets; --"`,
  `dns.qry.name matches r"'\\); DELETE FROM packets; --"`,
  `tls.handshake.extensions_server_name in {"a') OR 1=1 --" "b"}`,
  `http.user_agent == "\\x27) OR 1=1 --"`,
];

for (const filter of INJECTIONS) {
  test(`injection attempt matches nothing: ${filter}`, () => {
    assert.equal(count(filter), 0);
    const { sql } = compileFilter(filter, { firstTsNs: T0 });
    assert.ok(!/1=1|DROP|DELETE|'1'/.test(sql), sql);
  });
}

test('the case is intact after the injection attempts', () => {
  assert.equal(count(''), 18);
  assert.equal((db.prepare('SELECT count(*) AS n FROM dns_messages').get() as { n: number }).n, 3);
});

test('SQL-looking text outside strings is a FilterError, not SQL', () => {
  for (const filter of ['tcp.port == 80 OR 1=1', 'tcp.port == 80; DROP TABLE packets', 'tcp.port == 80 -- x', "ip.addr == 1' OR '1"]) {
    assert.throws(() => compileFilter(filter, { firstTsNs: T0 }), FilterError, filter);
  }
});

/** mulberry32: a tiny seeded PRNG, so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [
  'tcp', 'udp', 'ip', 'ipv6', 'dns', 'http', 'tls', 'frame', 'eth', 'arp', 'icmp',
  'tcp.port', 'ip.addr', 'ipv6.addr', 'ip.src', 'dns.qry.name', 'http.host', 'tcp.flags', 'tcp.flags.syn',
  'frame.time_relative', 'frame.number', 'icmp.type', 'dns.flags.rcode', 'http.response.code', 'tcp.prot',
  '==', '!=', '<', '<=', '>', '>=', 'eq', 'ne', 'lt', 'contains', 'matches', 'in', 'not', '!', '&&', '||',
  'and', 'or', '&', '(', ')', '{', '}', ',', '..', '=', '|', '$', "'", '"', '\\', '[', '~',
  '80', '0x50', '0120', '-1', '1.5', '1e9', '99999999999999999999999', '10.0.0.1', '10.0.0.0/8', '10.0.0.0/99',
  '::1', 'fe80::/10', '1::2::3', 'example.com', '"example.com"', '"a\\"b"', '"\\x41"', '"(?i)x"', '"["', '"\\q"',
  'true', 'false', '', ' ', '1..5', '"', "x') OR 1=1 --",
];

const FIELD_NAMES = [...FIELDS.keys()];
const VALUES = [
  '80', '0x12', '1', '0', 'true', '-1', '1.5', '10.0.0.1', '10.0.0.0/8', '2001:db8::/32', '::1', 'example.com',
  '"example.com"', '"x\') OR 1=1 --"', 'r"^ex.*\\.com$"', '"(?i)EXAMPLE"', '"[a-"', '9223372036854775807', '99999999999999999999',
];

const VALUES_BY_TYPE: Record<string, string[]> = {
  number: ['80', '0x12', '0', '3', '-1', '9223372036854775807'],
  boolean: ['1', '0', 'true', 'False'],
  string: ['example.com', '"example.com"', '"x\') OR 1=1 --"', 'r"^ex.*\\.com$"', '"(?i)EXAMPLE"', '""'],
  ipv4: ['10.0.0.1', '10.0.0.0/8', '"192.168.1.10"', '0.0.0.0/0'],
  ipv6: ['2001:db8::/32', '::1', 'fe80::1', '::ffff:1.2.3.4'],
  time: ['0', '1.5', '0.000000001', '-2', '8.5'],
  protocol: ['1'],
};

/** A random filter that follows the grammar, so most of them compile and their SQL gets executed. */
function structured(next: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const r = next();
  if (depth > 0 && r < 0.15) return `!${structured(next, depth - 1)}`;
  if (depth > 0 && r < 0.25) return `(${structured(next, depth - 1)})`;
  if (depth > 0 && r < 0.45) return `${structured(next, depth - 1)} ${pick(['&&', '||', 'and', 'or'])} ${structured(next, depth - 1)}`;
  const field = pick(FIELD_NAMES);
  const typed = VALUES_BY_TYPE[FIELDS.get(field)!.type];
  const value = (): string => pick(next() < 0.85 ? typed : VALUES);
  const t = next();
  if (t < 0.2) return field;
  if (t < 0.35) return `${field} ${pick(['in', 'not in'])} {${value()} ${value()}${next() < 0.5 ? `, ${value()}..${value()}` : ''}}`;
  return `${field} ${pick(['==', '!=', '<', '>=', 'contains', 'matches', '&', 'eq', 'le'])} ${value()}`;
}

function expectOnlyFilterErrors(text: string): boolean {
  let compiled;
  try {
    compiled = compileFilter(text, { firstTsNs: T0 });
  } catch (e) {
    if (!(e instanceof FilterError)) assert.fail(`${JSON.stringify(text)} threw ${String(e)}`);
    assert.ok(e.position >= 0 && e.position <= text.length, `${JSON.stringify(text)}: position ${e.position}`);
    return false;
  }
  try {
    db.prepare(`SELECT count(*) AS n FROM packets AS p WHERE ${compiled.sql}`).get(...compiled.params);
  } catch (e) {
    assert.fail(`${JSON.stringify(text)} compiled to failing SQL: ${String(e)}\n${compiled.sql}`);
  }
  return true;
}

test('fuzz: 2000 random token strings only ever throw FilterError', () => {
  const next = rng(0x5eed);
  for (let n = 0; n < 2000; n++) {
    const len = 1 + Math.floor(next() * 10);
    const parts: string[] = [];
    for (let k = 0; k < len; k++) parts.push(VOCAB[Math.floor(next() * VOCAB.length)]);
    expectOnlyFilterErrors(parts.join(next() < 0.3 ? '' : ' '));
  }
});

test('fuzz: 1000 grammar-shaped filters compile to SQL that runs, or fail with FilterError', () => {
  const next = rng(0xf11e);
  let ran = 0;
  for (let n = 0; n < 1000; n++) if (expectOnlyFilterErrors(structured(next, 3))) ran++;
  assert.ok(ran > 300, `only ${ran} of 1000 compiled; the generator no longer exercises the SQL`);
});

test('fuzz: 500 strings of random printable characters only ever throw FilterError', () => {
  const next = rng(0xc0ffee);
  for (let n = 0; n < 500; n++) {
    const len = Math.floor(next() * 30);
    let text = '';
    for (let k = 0; k < len; k++) text += String.fromCharCode(32 + Math.floor(next() * 95));
    expectOnlyFilterErrors(text);
  }
});
