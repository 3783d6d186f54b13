import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml } from '../../../electron/export/html-escape';
import { escapeMarkdown } from '../../../electron/export/markdown-escape';

describe('escapeHtml', () => {
  test('replaces the five markup characters', () => {
    assert.equal(escapeHtml(`<img src=x onerror=alert(1)>`), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeHtml(`"'&`), '&quot;&#39;&amp;');
    assert.equal(escapeHtml('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  test('replaces control characters and leaves other text alone', () => {
    assert.equal(escapeHtml('a\u0000b\u001bc'), 'a\uFFFDb\uFFFDc');
    assert.equal(escapeHtml('SYN → SYN/ACK 192.0.2.1:443 é'), 'SYN → SYN/ACK 192.0.2.1:443 é');
  });
});

describe('escapeMarkdown', () => {
  test('neutralises HTML, links, emphasis, code and table pipes', () => {
    assert.equal(escapeMarkdown('<script>alert(1)</script>'), '\\<script\\>alert(1)\\</script\\>');
    assert.equal(escapeMarkdown('[x](javascript:alert(1))'), '\\[x\\](javascript:alert(1))');
    assert.equal(escapeMarkdown('a|b `c` *d* _e_ ~f~ &amp;'), 'a\\|b \\`c\\` \\*d\\* \\_e\\_ \\~f\\~ \\&amp;');
    assert.equal(escapeMarkdown('back\\slash'), 'back\\\\slash');
  });
  test('one value stays on one line and cannot start a block', () => {
    assert.equal(escapeMarkdown('a\nb\r\nc'), 'a b c');
    assert.equal(escapeMarkdown('# title'), '\\# title');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('> quote'), '\\> quote');
    assert.equal(escapeMarkdown('192.0.2.1 sent 3,600 SYNs'), '192.0.2.1 sent 3,600 SYNs');
  });
});
