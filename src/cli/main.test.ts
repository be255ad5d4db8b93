import { describe, expect, it } from 'vitest';
import { subcommandsNeeded } from './program.js';

describe('subcommandsNeeded: only the subcommand a run names is built', () => {
  it('the subcommand that starts the line; none for the main run with options; all when commander must judge', () => {
    expect(subcommandsNeeded(['token', '--json'])).toBe('token');
    expect(subcommandsNeeded(['keycloak', 'list-agents'])).toBe('keycloak');
    expect(subcommandsNeeded(['headers', '--help'])).toBe('headers');
    expect(subcommandsNeeded([])).toBe('none');
    expect(subcommandsNeeded(['--ingress-only', '--force', '--json'])).toBe('none');
    expect(subcommandsNeeded(['--help'])).toBe('all');
    expect(subcommandsNeeded(['-h'])).toBe('all');
    expect(subcommandsNeeded(['help', 'token'])).toBe('all');
    expect(subcommandsNeeded(['tokn'])).toBe('all');
    expect(subcommandsNeeded(['--env-file', 'ci.env', 'token'])).toBe('all');
  });
});
