// Bad input to `stagebench tune`: exit 2 with a message naming the value, before any engine work.
import { test } from 'uvu';
import { expectRefused } from '../../support/cli.ts';

const refused = (args: string[], expect: RegExp) => expectRefused(['tune', ...args], expect);

test('an unknown variant names it and the variants there are', async () => {
  await refused(['express-api', '--variant', 'chiselled', '--static'], /'chiselled'.*single-bad-order/s);
});

test('an unknown scenario, a missing SCENARIO, a bad --format and --iterations name what is wrong', async () => {
  await refused(['no-such-app', '--static'], /'no-such-app'/);
  await refused(['--static'], /takes one SCENARIO/);
  await refused(['express-api', '--format', 'yaml'], /--format takes one of text, json/);
  await refused(['express-api', '--iterations', '0'], /--iterations/);
  await refused(['express-api', '--name-prefix', 'Bad Name'], /--name-prefix/);
});

test.run();
