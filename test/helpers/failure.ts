import { expect } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';

/** The TransferError that `op` fails with; fails the test when it succeeds or throws anything else. */
export async function failure(op: () => Promise<unknown>): Promise<TransferError> {
  try {
    await op();
  } catch (e) {
    expect(e).toBeInstanceOf(TransferError);
    return e as TransferError;
  }
  throw new Error('expected the operation to fail');
}
