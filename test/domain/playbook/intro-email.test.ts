import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  builtInPlaybook,
  builtInPlaybookData,
  PlaybookError,
  validatePlaybook,
} from '../../../src/domain/playbook/index.ts';

describe('the introEmail template in the playbook', () => {
  it('the built-in playbook has one, using only known placeholders', () => {
    const template = builtInPlaybook().introEmail;
    assert.ok(template);
    assert.match(template.subject, /\{\{deliveryLead\}\}/);
    assert.match(template.text, /\{\{recipients\}\}[\s\S]*\{\{sender\}\}/);
  });

  it('is optional', () => {
    const data = builtInPlaybookData() as Record<string, unknown>;
    delete data.introEmail;
    assert.equal(validatePlaybook(data, 'company.json').introEmail, undefined);
  });

  it('refuses an unknown placeholder, naming the key and the placeholders there are', () => {
    const data = builtInPlaybookData() as { introEmail: { subject: string } };
    data.introEmail.subject = 'Hello {{customerName}}';
    try {
      validatePlaybook(data, 'company.json');
      assert.fail('expected a refusal');
    } catch (e) {
      assert.ok(e instanceof PlaybookError);
      assert.deepEqual(e.issues, [
        {
          path: 'introEmail.subject',
          message:
            'unknown placeholder {{customerName}}; use {{company}}, {{sow}}, {{recipients}}, {{deliveryLead}}, {{sender}}',
        },
      ]);
    }
  });

  it('refuses an empty subject or unknown keys', () => {
    const data = builtInPlaybookData() as { introEmail: Record<string, string> };
    data.introEmail.subject = ' ';
    data.introEmail.html = '<p>x</p>';
    assert.throws(
      () => validatePlaybook(data, 'company.json'),
      /introEmail\.subject: must not be empty.*introEmail/,
    );
  });
});
