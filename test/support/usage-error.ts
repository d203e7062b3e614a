// The UsageError a call throws, or a failed assertion when it throws nothing or something else.
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/errors.ts';

export function usageErrorOf(fn: () => unknown, what = 'the call'): UsageError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.instance(caught, UsageError, `${what} should throw a UsageError, got ${caught === undefined ? 'no error' : String(caught)}`);
  return caught as UsageError;
}
