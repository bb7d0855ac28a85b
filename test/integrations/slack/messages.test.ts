import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attentionMessage,
  rejectionMessage,
  submissionMessage,
} from '../../../src/integrations/slack/messages.ts';
import { escapeMrkdwn, mention, truncateMrkdwn } from '../../../src/integrations/slack/mrkdwn.ts';

describe('Slack mrkdwn escaping', () => {
  it('escapes &, < and > so no mention, channel ping or disguised link survives', () => {
    const hostile = 'Dana <!channel> <@U0BOSS> <#C0GENERAL> <https://evil.example|Open the SOW> & co';
    const escaped = escapeMrkdwn(hostile);
    assert.equal(
      escaped,
      'Dana &lt;!channel&gt; &lt;@U0BOSS&gt; &lt;#C0GENERAL&gt; &lt;https://evil.example|Open the SOW&gt; &amp; co',
    );
    assert.doesNotMatch(escaped, /<|>/);
  });

  it('escapes an existing entity again, so &lt; written in a packet stays visible as text', () => {
    assert.equal(escapeMrkdwn('&lt;!here&gt;'), '&amp;lt;!here&amp;gt;');
  });

  it('cuts long text on a whole entity and marks the cut', () => {
    const text = `${'a'.repeat(9)}&amp;`;
    assert.equal(truncateMrkdwn(text, 12), `${'a'.repeat(9)}…`);
    assert.equal(truncateMrkdwn('short', 12), 'short');
  });

  it('writes mentions only for ids shaped like Slack user ids', () => {
    assert.equal(mention('U0123ABC'), '<@U0123ABC>');
    assert.throws(() => mention('U1> <!channel'), /not a Slack user id/);
  });
});

describe('the messages', () => {
  it('Rule 6 is the four lines of handoff-rules.md, with a button to the dashboard', () => {
    const m = submissionMessage({
      sow: 'SOW-2026-014',
      filePath: 'operations/handoffs/assessments/SOW-2026-014-handoff-packet.md',
      dashboardUrl: 'http://127.0.0.1:8080/handoffs/SOW-2026-014',
    });
    assert.equal(
      m.text,
      [
        'For: customer.success',
        'Type: Assessment Handoff Packet',
        'File path: operations/handoffs/assessments/SOW-2026-014-handoff-packet.md',
        'Blocking: Yes -- discovery session scheduling blocked until acknowledged',
      ].join('\n'),
    );
    assert.deepEqual(m.blocks[0], { type: 'section', text: { type: 'mrkdwn', text: m.text } });
    const button = (
      m.blocks[1] as unknown as { elements: { url: string; text: { text: string } }[] } | undefined
    )?.elements[0];
    assert.equal(button?.url, 'http://127.0.0.1:8080/handoffs/SOW-2026-014');
    assert.equal(button?.text.text, 'Open SOW-2026-014 in baton');
  });

  it('a rejection starts with the SOP line and escapes the reviewer text', () => {
    const m = rejectionMessage({
      sow: 'SOW-2026-014',
      checks: ['contacts-complete', 'required-fields'],
      reason: 'see <!here>',
      by: 'Alice',
    });
    assert.equal(
      m.text.split('\n')[0],
      'Handoff packet SOW-2026-014 rejected -- contacts-complete, required-fields',
    );
    assert.match(m.text, /Reason: see &lt;!here&gt;/);
    assert.equal(m.blocks.length, 1, 'no dashboard URL, no button');
  });

  it('attention messages mention the configured people and escape the rest', () => {
    const m = attentionMessage({
      sow: 'SOW-2026-014',
      headline: 'Escalation ESC-SOW-2026-014-1 (gate-failed-twice) on SOW-2026-014',
      details: ['packet said <!channel>'],
      forRoles: ['chief.staff'],
      mentionIds: ['U0EVA'],
    });
    assert.match(m.text, /^For: chief\.staff <@U0EVA>\n/);
    assert.match(m.text, /packet said &lt;!channel&gt;/);
  });
});
