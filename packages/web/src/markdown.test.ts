import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInline, parseMarkdown, safeHref } from './markdown.ts';

describe('markdown subset', () => {
  it('parses emphasis, code and links', () => {
    assert.deepEqual(parseInline('a **b** *c* `d<e>` [f](https://x.test/?q=1)'), [
      { t: 'text', v: 'a ' },
      { t: 'strong', c: [{ t: 'text', v: 'b' }] },
      { t: 'text', v: ' ' },
      { t: 'em', c: [{ t: 'text', v: 'c' }] },
      { t: 'text', v: ' ' },
      { t: 'code', v: 'd<e>' },
      { t: 'text', v: ' ' },
      { t: 'link', href: 'https://x.test/?q=1', c: [{ t: 'text', v: 'f' }] },
    ]);
  });

  it('keeps HTML as text and drops unsafe link targets', () => {
    assert.deepEqual(parseInline('<img src=x onerror=alert(1)>'), [
      { t: 'text', v: '<img src=x onerror=alert(1)>' },
    ]);
    assert.deepEqual(parseInline('[click](javascript:alert(1))'), [{ t: 'text', v: 'click' }]);
    assert.equal(safeHref('data:text/html,x'), undefined);
    assert.equal(safeHref(' /label '), '/label');
  });

  it('leaves snake_case and lone stars alone', () => {
    assert.deepEqual(parseInline('snake_case_name and 2 * 3 * 4'), [
      { t: 'text', v: 'snake_case_name and 2 * 3 * 4' },
    ]);
    assert.deepEqual(parseInline('\\*not em\\*'), [{ t: 'text', v: '*not em*' }]);
  });

  it('parses headings, lists, code fences, quotes and paragraphs with line breaks', () => {
    const blocks = parseMarkdown(
      '# Title\n\n- one\n- **two**\n\n3. three\n4. four\n\n```\n<b>x</b>\n```\n> quoted\n\nline 1\nline 2\n\n---',
    );
    assert.deepEqual(blocks, [
      { t: 'h', level: 1, c: [{ t: 'text', v: 'Title' }] },
      { t: 'ul', items: [[{ t: 'text', v: 'one' }], [{ t: 'strong', c: [{ t: 'text', v: 'two' }] }]] },
      { t: 'ol', start: 3, items: [[{ t: 'text', v: 'three' }], [{ t: 'text', v: 'four' }]] },
      { t: 'pre', v: '<b>x</b>' },
      { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'quoted' }] }] },
      { t: 'p', c: [{ t: 'text', v: 'line 1' }, { t: 'br' }, { t: 'text', v: 'line 2' }] },
      { t: 'hr' },
    ]);
  });
});
