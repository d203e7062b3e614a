// Terminal tables: columns padded to their widest cell.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alignTable } from '../../../src/terminal/align-table.ts';

test('alignTable: first column left-aligned, the others right-aligned, no trailing spaces', () => {
  const text = alignTable([['variant', 'image'], ['single', '971.5 MB'], ['distroless', '1 B']]);
  assert.is(text, ['variant        image', 'single      971.5 MB', 'distroless       1 B'].join('\n'));
});

test.run();
