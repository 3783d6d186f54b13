import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LINKTYPE, linkTypeName } from '../../../electron/capture/link-types';

test('link-type numbers follow the tcpdump.org LINKTYPE list', () => {
  assert.equal(LINKTYPE.NULL, 0);
  assert.equal(LINKTYPE.ETHERNET, 1);
  assert.equal(LINKTYPE.PPP, 9);
  assert.equal(LINKTYPE.RAW, 101);
  assert.equal(LINKTYPE.IEEE802_11, 105);
  assert.equal(LINKTYPE.LOOP, 108);
  assert.equal(LINKTYPE.LINUX_SLL, 113);
  assert.equal(LINKTYPE.IEEE802_11_RADIOTAP, 127);
  assert.equal(LINKTYPE.IPV4, 228);
  assert.equal(LINKTYPE.IPV6, 229);
  assert.equal(LINKTYPE.LINUX_SLL2, 276);
});

test('linkTypeName names known types and spells out unknown numbers', () => {
  assert.equal(linkTypeName(1), 'ETHERNET');
  assert.equal(linkTypeName(276), 'LINUX_SLL2');
  assert.equal(linkTypeName(0), 'NULL');
  assert.equal(linkTypeName(284), 'LINKTYPE_284');
  assert.equal(linkTypeName(65535), 'LINKTYPE_65535');
});

test('no two names share a number', () => {
  const numbers = Object.values(LINKTYPE);
  assert.equal(new Set(numbers).size, numbers.length);
});
