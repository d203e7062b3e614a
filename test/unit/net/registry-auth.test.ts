// Registry credentials from the user's npm config reach only the registry they were written for: the same host
// exactly (not one whose name starts the same) and a path at or below theirs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authLinesFor, scopeCovers } from '../../../src/net/registry-auth.ts';

const NPMRC = [
  '//reg.example.co/:_authToken=tok-co',
  '//reg.example.org:_authToken=tok-org-noslash',
  '//reg.example.net/npm:_authToken=tok-net-npm',
  '//reg.example.com/npm/:_authToken=tok-npm',
  '//reg.example.com:8443/:_authToken=tok-port',
  '',
].join('\n');

test('a token for reg.example.co does not reach reg.example.com, nor reg.example.com.evil.net', () => {
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.com/'), []);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.co.evil.net/'), []);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.co/'), ['//reg.example.co/:_authToken=tok-co']);
});

test('a scope written without its trailing slash: the same host only, the same path segment only', () => {
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.org.evil.net/'), []);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.organic.example/'), []);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.org/'), ['//reg.example.org:_authToken=tok-org-noslash']);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.net/npm-evil/'), []);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.net/npm/'), ['//reg.example.net/npm:_authToken=tok-net-npm']);
});

test('a path scope covers its own path and below, not a sibling that starts the same', () => {
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.com/npm/'), ['//reg.example.com/npm/:_authToken=tok-npm']);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.com/npm/sub/'), ['//reg.example.com/npm/:_authToken=tok-npm']);
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.com/npm-evil/'), []);
});

test('a port is part of the host', () => {
  assert.equal(authLinesFor(NPMRC, 'https://reg.example.com:8443/'), ['//reg.example.com:8443/:_authToken=tok-port']);
  assert.not.ok(scopeCovers('//reg.example.com:8443/', 'https://reg.example.com/'));
});

test.run();
