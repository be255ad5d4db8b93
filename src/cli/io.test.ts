import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIo, wantsColour } from './io.js';

describe('wantsColour', () => {
  it('only on a terminal, never with NO_COLOR, CI or TERM=dumb', () => {
    expect(wantsColour({}, true)).toBe(true);
    expect(wantsColour({}, false)).toBe(false);
    expect(wantsColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColour({ CI: 'true' }, true)).toBe(false);
    expect(wantsColour({ CI: 'false' }, true)).toBe(true);
    expect(wantsColour({ TERM: 'dumb' }, true)).toBe(false);
  });
});

describe('Io', () => {
  it('redacts registered secrets from every stream, and keeps data on stdout', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const io = await createIo({ stdout, stderr, env: {} });
    io.secrets.add('s3cr3t-value-123');
    io.secrets.add('short');
    io.info('token s3cr3t-value-123 short');
    io.out('{"t":"s3cr3t-value-123"}');
    expect(stderr.read().toString()).toBe('token [redacted] short\n');
    expect(stdout.read().toString()).toBe('{"t":"[redacted]"}');
  });
  it('keeps errors and hints at --quiet, drops the rest', async () => {
    const stderr = new PassThrough();
    const io = await createIo({ stdout: new PassThrough(), stderr, env: {} });
    io.verbosity = 'quiet';
    io.info('progress');
    io.detail('detail');
    io.error('it failed', 'do this');
    expect(stderr.read().toString()).toBe('error: it failed\n  hint: do this\n');
  });
});
