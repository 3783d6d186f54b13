import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FilterError } from '../../../electron/query/display-filter/index.js';

function errorOf(filter: string): FilterError {
  try {
    compileFilter(filter, { firstTsNs: 0n });
  } catch (e) {
    assert.ok(e instanceof FilterError, `expected a FilterError, got ${String(e)}`);
    return e;
  }
  assert.fail(`filter ${JSON.stringify(filter)} compiled`);
}

// [filter, 0-based position, full message]
const CASES: Array<[string, number, string]> = [
  ['tcp.port == ', 12, 'expected a value after "==" at column 13'],
  ['tcp.port eq', 11, 'expected a value after "eq" at column 12'],
  ['tcp.port == )', 12, 'expected a value after "==", found ")" at column 13'],
  ['tcp.prot == 80', 0, 'unknown field "tcp.prot" at column 1 (did you mean tcp.port?)'],
  ['Tcp.Port == 80', 0, 'unknown field "Tcp.Port" at column 1 (did you mean tcp.port?)'],
  ['tcp && htpp.host', 7, 'unknown field "htpp.host" at column 8 (did you mean http.host?)'],
  ['zzzzzz', 0, 'unknown field "zzzzzz" at column 1'],
  ['ip.addr == "foo"', 11, '"foo" is not an IPv4 address at column 12'],
  ['ip.addr == 10.0.0.256', 11, '"10.0.0.256" is not an IPv4 address at column 12'],
  ['ip.addr == 10.0.0', 11, '"10.0.0" is not an IPv4 address at column 12'],
  ['ip.addr == 2001:db8::1', 11, '"2001:db8::1" is not an IPv4 address at column 12'],
  ['ip.addr == 10.0.0.0/33', 20, '"10.0.0.0/33" has an invalid prefix length (0 to 32) at column 21'],
  ['ipv6.addr == 1:2:3', 13, '"1:2:3" is not an IPv6 address at column 14'],
  ['ipv6.addr == 1::2::3', 13, '"1::2::3" is not an IPv6 address at column 14'],
  ['ipv6.addr == 10.0.0.1', 13, '"10.0.0.1" is not an IPv6 address at column 14'],
  ['ipv6.src == ::/129', 15, '"::/129" has an invalid prefix length (0 to 128) at column 16'],
  ['ip.dst == "1.2.3.4/40"', 19, '"1.2.3.4/40" has an invalid prefix length (0 to 32) at column 20'],
  ['tcp.port == "abc"', 12, '"abc" is not an integer at column 13'],
  ['tcp.port == 1.5', 12, '"1.5" is not an integer at column 13'],
  ['tcp.port == 08', 12, '"08" is not an integer at column 13'],
  ['tcp.port == 99999999999999999999', 12, '"99999999999999999999" is too large at column 13'],
  ['tcp.flags.syn == 2', 17, '"2" is not a boolean (use 1, 0, true or false) at column 18'],
  ['frame.time_relative > abc', 22, '"abc" is not a number of seconds at column 23'],
  ['tcp.port contains "8"', 9, '"contains" needs a string field, but tcp.port is a number at column 10'],
  ['ip.src matches "x"', 7, '"matches" needs a string field, but ip.src is an IPv4 address at column 8'],
  ['dns.qry.name & 1', 13, '"&" needs a number field, but dns.qry.name is a string at column 14'],
  ['tcp == 1', 4, 'tcp is a protocol and can only be tested for presence ("tcp" or "!tcp"), not with "==" at column 5'],
  ['dns.qry.name matches "("', 21, '"(" is not a valid regular expression (missing closing ); Flowcase uses RE2 syntax: no backreferences or lookaround) at column 22'],
  ['dns.qry.name in {a..b}', 18, 'ranges ("..") need a number, time or address field, but dns.qry.name is a string at column 19'],
  ['(tcp', 4, 'expected ")" to close the "(" at column 1, found the end of the filter at column 5'],
  ['(tcp udp)', 5, 'expected ")" to close the "(" at column 1, found "udp" at column 6'],
  ['tcp)', 3, 'this ")" has no matching "(" at column 4'],
  ['tcp.port == 80 80', 15, 'unexpected "80"; expected "&&", "||" or the end of the filter at column 16'],
  ['tcp.port = 80', 9, 'unexpected "=": use "==" to compare at column 10'],
  ['tcp | udp', 4, 'unexpected "|": use "||" or "or" at column 5'],
  ['tcp $ udp', 4, 'unexpected character "$" at column 5'],
  ["dns.qry.name == 'x'", 16, 'strings use double quotes, not single quotes at column 17'],
  ['dns.qry.name == "abc', 16, 'unterminated string: add the closing " at column 17'],
  ['dns.qry.name == "a\\qb"', 18, 'invalid escape "\\q" in string (use \\\\ for a backslash) at column 19'],
  ['&& tcp', 0, 'expected a field or protocol name, found "&&" at column 1'],
  ['tcp &&', 6, 'expected a field or protocol name, found the end of the filter at column 7'],
  ['tcp and or udp', 8, 'expected a field or protocol name, found "or" at column 9'],
  ['!', 1, 'expected a field or protocol name, found the end of the filter at column 2'],
  ['()', 1, 'expected a field or protocol name, found ")" at column 2'],
  ['tcp.port in 80', 12, 'expected "{" after "in", found "80" at column 13'],
  ['tcp.port in {}', 13, 'a set needs at least one value at column 14'],
  ['tcp.port in {80', 15, 'expected "}" to close the set opened at column 13 at column 16'],
  ['tcp.port in {, 80}', 13, 'expected a value after "{", found "," at column 14'],
  ['tcp.port in {1..}', 16, 'expected a value after "..", found "}" at column 17'],
  ['tcp.port in {"x"}', 13, '"x" is not an integer at column 14'],
  ['dns.qry.name == and', 16, 'expected a value after "==", found "and" at column 17'],
  ['(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((tcp))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))', 64, 'the filter nests more than 64 levels deep at column 65'],
];

for (const [filter, position, message] of CASES) {
  test(`error for ${JSON.stringify(filter)}`, () => {
    const e = errorOf(filter);
    assert.equal(e.message, message);
    assert.equal(e.position, position);
    assert.equal(e.name, 'FilterError');
  });
}

test('FilterError says what was expected', () => {
  assert.equal(errorOf('tcp.port == ').expected, 'value');
  assert.equal(errorOf('tcp.prot').expected, 'field');
  assert.equal(errorOf('(tcp').expected, ')');
});

test('too many tests or set values are FilterErrors, not SQLite limits', () => {
  const many = Array.from({ length: 501 }, () => 'tcp').join(' || ');
  assert.match(errorOf(many).message, /more than 500 tests/);
  const set = `tcp.port in {${Array.from({ length: 1001 }, (_, i) => i).join(' ')}}`;
  assert.match(errorOf(set).message, /at most 1000 values/);
});

test('a long but legal chain compiles to SQL that SQLite accepts (balanced, not 400 levels deep)', async () => {
  const { buildCase } = await import('./case-fixture.js');
  const db = buildCase();
  const filter = Array.from({ length: 400 }, (_, i) => `frame.number == ${i + 1}`).join(' or ');
  const { sql, params } = compileFilter(filter, { firstTsNs: 0n });
  const row = db.prepare(`SELECT count(*) AS n FROM packets AS p WHERE ${sql}`).get(...params) as { n: number };
  assert.equal(row.n, 18);
  db.close();
});
