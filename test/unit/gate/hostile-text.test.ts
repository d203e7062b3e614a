// Text from runs is data, never markup or terminal commands (issue 13): compare --format md escapes HTML and markdown
// punctuation; everything printed loses its escape sequences (clear screen, window title) but keeps the progress
// line's own "clear line".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cell } from '../../../src/gate/format-markdown.ts';
import { stripControls } from '../../../src/terminal/terminal-text.ts';
import { cliCommand } from '../../support/cli.ts';

test('md cell: an <img onerror> is shown as text, not rendered', () => {
  const c = cell('x<img src=x onerror=alert(1)>|y');
  assert.not.match(c, /<img/);
  assert.match(c, /&lt;img src=x onerror=alert\(1\)&gt;\\\|y/);
});

test('md cell: markdown that would make a link, an image or code is escaped; control characters dropped', () => {
  assert.is(cell('![t](http://tracker/p.png) `code` **b**'), '\\!\\[t\\](http\u2060://tracker/p.png) \\`code\\` \\*\\*b\\*\\*');
  assert.is(cell('a\x1b]0;pwned\x07b\nc'), 'ab c');
});

const SEQUENCES: Array<[string, string, string]> = [
  ['clear screen', 'a\x1b[2J\x1b[Hb', 'ab'],
  ['window title (OSC, BEL)', 'a\x1b]0;owned\x07b', 'ab'],
  ['window title (OSC, ST)', 'a\x1b]2;owned\x1b\\b', 'ab'],
  ['colour', '\x1b[31mred\x1b[0m', 'red'],
  ['8-bit CSI', 'a\u009b2Jb', 'ab'],
  ['backspace and bell', 'a\bb\x07', 'ab'],
  ['tab, newline and CRLF kept', 'a\tb\r\nc', 'a\tb\r\nc'],
];
for (const [name, input, want] of SEQUENCES) {
  test(`stripControls: ${name}`, () => assert.is(stripControls(input), want));
}

test('the CLI strips escape sequences from what it prints (an error naming a hostile value)', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const r = spawnSync(...cliCommand(['run', '--builder', 'x\x1b]0;owned\x07\x1b[2J']), { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.not.match(r.stderr, /\x1b/);
  assert.match(r.stderr, /--builder takes one of buildkit, legacy, not 'x'/);
});

test.run();
