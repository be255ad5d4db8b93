import { describe, expect, it } from 'vitest';
import type { Outcome } from './outcome.js';
import { inOrder } from './token-steps.js';

const outcome = (name: string): Outcome => ({ step: 'agents', name, status: 'skipped', reason: 'test' });

describe('inOrder: steps at once, outcomes in order', () => {
  it('never runs more than the limit at once, and hands outcomes over in the steps’ order as soon as they can be', async () => {
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const seen: string[] = [];
    const steps = Array.from({ length: 10 }, (_, index) => async (): Promise<Outcome> => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      return outcome(`a${index}`);
    });
    const all = inOrder(steps, 3, (done) => seen.push('name' in done && done.name !== undefined ? done.name : ''));
    const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await tick();
    expect(releases).toHaveLength(3);
    // The second finishes first: nothing is handed over until the first is done too.
    releases[1]?.();
    await tick();
    expect(seen).toEqual([]);
    releases[0]?.();
    await tick();
    expect(seen).toEqual(['a0', 'a1']);
    // Release the rest, newest first.
    while (seen.length < 10) {
      for (let index = releases.length - 1; index >= 0; index--) releases[index]?.();
      await tick();
    }
    await all;
    expect(seen).toEqual(Array.from({ length: 10 }, (_, index) => `a${index}`));
    expect(most).toBe(3);
  });

  it('a limit above the number of steps, or below one, still runs each step once', async () => {
    const seen: string[] = [];
    await inOrder([async () => outcome('x'), async () => outcome('y')], 64, (done) =>
      seen.push('name' in done && done.name !== undefined ? done.name : ''),
    );
    await inOrder([async () => outcome('z')], 0, (done) => seen.push('name' in done && done.name !== undefined ? done.name : ''));
    expect(seen).toEqual(['x', 'y', 'z']);
  });
});
