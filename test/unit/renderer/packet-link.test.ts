/**
 * Packet links: the three spellings (Markdown/route `#packet=N`, the route with its case, the
 * desktop `flowcase://packet/N?case=ID`) round-trip, and everything else is refused whole.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { packetHref, packetRoute, packetUrl, parsePacketRoute, parsePacketUrl } from '../../../renderer/src/lib/packet-link';
import { markdownTree } from '../../../renderer/src/lib/markdown-tree';

const CASE = '0123456789abcdef0123456789abcdef';

describe('packet links', () => {
  it('round-trip', () => {
    assert.equal(packetHref(1234), '#packet=1234');
    assert.equal(packetUrl({ packetId: 1234, caseId: CASE }), `flowcase://packet/1234?case=${CASE}`);
    assert.equal(packetUrl({ packetId: 7, caseId: null }), 'flowcase://packet/7');
    assert.deepEqual(parsePacketUrl(packetUrl({ packetId: 1234, caseId: CASE })), { packetId: 1234, caseId: CASE });
    assert.deepEqual(parsePacketUrl('FLOWCASE://packet/9/'), { packetId: 9, caseId: null });
    assert.deepEqual(parsePacketRoute(packetRoute({ packetId: 1234, caseId: CASE })), { packetId: 1234, caseId: CASE });
    assert.deepEqual(parsePacketRoute('#packet=5'), { packetId: 5, caseId: null });
  });

  it('refuse anything else', () => {
    for (const bad of [
      'flowcase://packet/0', 'flowcase://packet/01', 'flowcase://packet/-1', 'flowcase://packet/1e3', 'flowcase://packet/1234567890123456',
      'flowcase://packet/1?case=ABC', `flowcase://packet/1?case=${CASE}&x=1`, `flowcase://packet/1?case=${CASE}0`, 'flowcase://case/1',
      'flowcase://packet/1/../../etc/passwd', 'flowcase://packet/1#x', 'file:///etc/passwd', 'javascript:alert(1)', 'flowcase:packet/1',
      `flowcase://packet/1?case=${'a'.repeat(300)}`, 'flowcase://packet/%31',
    ]) assert.equal(parsePacketUrl(bad), null, bad);
    for (const bad of ['#packet=', '#packet=x', '#packet=1"><script>', '#packet=1&case=zz', '#packet=1&other=2', '#pack=1', 'packet=1', `#packet=1&case=${CASE}&case=${CASE}`]) {
      assert.equal(parsePacketRoute(bad), null, bad);
    }
  });

  it('the preview makes only #packet=N citations clickable; other links stay text', () => {
    const tree = markdownTree('See [packet 12](#packet=12), [x](javascript:alert(1)), [y](#packet=1&case=zz) and [z](https://example.com).');
    const p = tree[0] as Extract<(typeof tree)[number], { t: 'el' }>;
    const packets = p.children.filter((n) => n.t === 'packet');
    assert.deepEqual(packets, [{ t: 'packet', id: 12, children: [{ t: 'text', text: 'packet 12' }] }]);
    const text = p.children.map((n) => (n.t === 'text' ? n.text : n.t === 'packet' ? '[P]' : '')).join('');
    // markdown-it refuses javascript: as a link at all: it stays its literal text.
    assert.equal(text, 'See [P], [x](javascript:alert(1)), y and z.');
  });
});
