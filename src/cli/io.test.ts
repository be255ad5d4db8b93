import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIo, printable, wantsColour } from './io.js';

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
    io.secrets.add('short', 8);
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

describe('printable', () => {
  it('makes control characters visible, keeping newlines and tabs', () => {
    expect(printable('a\u001b[2Jb\u0007c\n\td\u202e', false)).toBe('a\\x1b[2Jb\\x07c\n\td\\u202e');
  });
  it('keeps colour sequences only when colour is on, and nothing else', () => {
    expect(printable('\u001b[32mok\u001b[39m \u001b]52;c;x\u0007', true)).toBe('\u001b[32mok\u001b[39m \\x1b]52;c;x\\x07');
    expect(printable('\u001b[32mok', false)).toBe('\\x1b[32mok');
  });
});
