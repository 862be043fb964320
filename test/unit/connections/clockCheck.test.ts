import { describe, expect, it } from 'vitest';
import { checkClock, type ClockSteps } from '../../../src/connectors/clockCheck.js';
import { clockWords } from '../../../src/shared/serverProbeWords.js';

/**
 * This computer's clock, standing still half-way through a second: a moving clock would let the time
 * spent between the steps decide the answer where a skew sits on the one-minute line.
 */
const now = (): number => 1_765_000_000_500;

/** A server's side of a clock check, keeping its files in a map and its clock `skewMs` from ours. */
function server(skewMs: number, refuse: Partial<Record<keyof ClockSteps, string>> = {}): ClockSteps & { readonly files: Map<string, number> } {
  const files = new Map<string, number>();
  const refused = (step: keyof ClockSteps): void => {
    const reason = refuse[step];
    if (reason !== undefined) throw new Error(reason);
  };
  return {
    files,
    write: (name) => {
      refused('write');
      // Whole seconds, as servers keep them.
      files.set(name, Math.floor((now() + skewMs) / 1000) * 1000);
      return Promise.resolve();
    },
    stamp: (name) => {
      refused('stamp');
      return Promise.resolve(files.get(name));
    },
    remove: (name) => {
      refused('remove');
      files.delete(name);
      return Promise.resolve();
    },
  };
}

describe('reading a server clock from the time it gives a new file', () => {
  it('tells minutes ahead or behind, and leaves no file behind', async () => {
    const ahead = server(12 * 60_000);
    expect(clockWords(await checkClock(ahead, now))).toBe('12 minutes ahead of this computer’s');
    expect(ahead.files.size).toBe(0);
    expect(clockWords(await checkClock(server(-60_000), now))).toBe('1 minute behind this computer’s');
    expect(clockWords(await checkClock(server(20_000), now))).toBe('In step with this computer’s (within a minute)');
  });

  it('says why where the server may not be written to, or gives no file times', async () => {
    expect(await checkClock(server(0, { write: '553 Could not create file.' }), now)).toEqual({
      kind: 'unmeasured',
      reason: "Ferry may not write a file in the login folder to read the server's clock (553 Could not create file.)",
    });
    const timeless = { ...server(0), stamp: () => Promise.resolve(undefined) };
    expect(clockWords(await checkClock(timeless, now))).toBe('Not measured: The server does not tell the times of its files');
  });

  it('names the check file it could not remove', async () => {
    const keeper = server(0, { remove: '550 Permission denied.' });
    const clock = await checkClock(keeper, now);
    const [left] = [...keeper.files.keys()];
    expect(clock).toMatchObject({ kind: 'measured', removed: false, file: left });
    expect(clockWords(clock)).toContain(`Ferry could not remove its check file ${left ?? '?'}`);
  });
});
