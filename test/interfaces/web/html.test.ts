import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, html, raw, SafeHtml } from '../../../src/interfaces/web/html.ts';

describe('the html builder', () => {
  it('escapes every interpolated value for text and quoted attributes', () => {
    const payload = `<script>alert('x')</script> & "q" \`b\``;
    const out = html`<p title="${payload}">${payload}</p>`.value;
    assert.equal(
      out,
      '<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &#96;b&#96;">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &#96;b&#96;</p>',
    );
  });

  it('nests built fragments without escaping them twice; raw is explicit', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(html`<p>${inner}</p>`.value, '<p><b>&lt;i&gt;</b></p>');
    assert.equal(html`${raw('<hr>')}`.value, '<hr>');
    assert.ok(inner instanceof SafeHtml);
  });

  it('renders arrays joined, numbers as text, and nothing for null, undefined and booleans', () => {
    assert.equal(html`${['<a>', html`<b></b>`, 3]}`.value, '&lt;a&gt;<b></b>3');
    assert.equal(html`${null}${undefined}${false}${true}|`.value, '|');
  });

  it('no string can open a tag or leave an attribute', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        assert.doesNotMatch(out, /[<>"'`]/);
        assert.equal(out.replace(/&(amp|lt|gt|quot|#39|#96);/g, ''), s.replace(/[&<>"'`]/g, ''));
      }),
    );
  });
});
