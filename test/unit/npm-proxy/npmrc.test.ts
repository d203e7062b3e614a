// The npmrc secret a build gets: the registry, resolved addresses replaced, and only the credentials of that registry
// taken from the user's npm config.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authLinesFor } from '../../../src/net/registry-auth.ts';
import { npmrcText } from '../../../src/npm-proxy/route.ts';

const USER_NPMRC = [
  'fund=false',
  '//npm.internal.example/repo/npm/:_authToken=tok-internal',
  '//npm.other.example/:_authToken=tok-other',
  '//npm.internal.example/:always-auth=true',
  '',
].join('\n');

test('the npmrc names the registry and makes npm replace every resolved address with it', () => {
  assert.is(npmrcText('http://127.0.0.1:4873/'), 'registry=http://127.0.0.1:4873/\nreplace-registry-host=always\n');
});

test("only the lines for the chosen registry's host and path are taken from the user's config", () => {
  const lines = authLinesFor(USER_NPMRC, 'https://npm.internal.example/repo/npm/');
  assert.equal(lines, ['//npm.internal.example/repo/npm/:_authToken=tok-internal', '//npm.internal.example/:always-auth=true']);
  assert.equal(authLinesFor(USER_NPMRC, 'http://127.0.0.1:4873/'), []);
});

test.run();
