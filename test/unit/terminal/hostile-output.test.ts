// Text stagebench did not write cannot erase what stagebench printed: a build's output with a carriage return or an
// erase-line sequence loses them (the failure line above stays on screen), while the progress line's own clear-line
// still reaches the terminal. On GitHub, text from runs mentions nobody and links nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { cell } from '../../../src/compare/format-markdown.ts';
import { mdEscape } from '../../../src/report/markdown.ts';
import { createProgress } from '../../../src/terminal/progress.ts';
import { guardTerminalOutput, inertReferences, stripControls } from '../../../src/terminal/terminal-text.ts';

test('a lone carriage return and an erase-line from outside are dropped; CRLF stays', () => {
  assert.is(stripControls('FAILED: build\rall good      '), 'FAILED: buildall good      ');
  assert.is(stripControls('FAILED\x1b[2K\x1b[1Aok'), 'FAILEDok');
  assert.is(stripControls('a\r\nb'), 'a\r\nb');
});

test("through the guard: outside text loses \\r and erase-line; the progress line's own clear-line passes", () => {
  let written = '';
  const stream = new Writable({ write(chunk, _enc, cb) { written += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream;
  (stream as { isTTY: boolean }).isTTY = true;
  guardTerminalOutput([stream]);
  const progress = createProgress(stream);
  progress.note('sample failed: exit 1\r\x1b[2Kall samples ok');
  progress.stop();
  assert.match(written, /sample failed: exit 1all samples ok\n/);
  assert.is(written.split('\r\x1b[2K').length - 1 >= 1, true, 'the clear-line of the progress line itself');
  assert.not.match(written.replace(/\r\x1b\[2K/g, ''), /[\r\x1b]/);
});

test('markdown from runs: @mentions, #123, bare URLs and www. do not link (a word joiner breaks each)', () => {
  for (const f of [cell, mdEscape]) {
    const out = f('ping @octocat about #123, see https://evil.example/x and www.evil.example');
    assert.not.match(out, /@octocat|#123|https:\/\/|www\./);
    assert.match(out.replace(/\u2060/g, ''), /@octocat.*123.*https:\/\/evil\.example\/x.*www\\?\.evil/);
  }
  assert.is(inertReferences('plain text, 5 @ 3'), 'plain text, 5 @ 3');
});

test.run();
