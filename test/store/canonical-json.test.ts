import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../src/store/index.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and adds no whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('follows JSON.stringify for what JSON cannot hold', () => {
    assert.equal(
      canonicalJson({ a: undefined, b: [undefined, Number.NaN], c: new Date(0) }),
      '{"b":[null,null],"c":"1970-01-01T00:00:00.000Z"}',
    );
    assert.equal(canonicalJson(undefined), 'null');
  });

  it('is the same text for equal values, and survives a round trip through JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        assert.equal(canonicalJson(JSON.parse(text)), text);
        assert.equal(canonicalJson(JSON.parse(JSON.stringify(value))), text);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        assert.equal(canonicalJson(reversed), canonicalJson(record));
      }),
    );
  });
});
