import { canOpenBrowser, openInBrowser } from '../adapters/browser.js';
import { createTerminal } from '../adapters/terminal.js';
import type { LoginUi } from '../flows/browser-login.js';
import type { SiteChoice } from '../flows/atlassian-site.js';
import { isCi, type Io } from './io.js';

export interface LoginSurface {
  ui: LoginUi;
  interactive: boolean;
  ci: boolean;
  chooseSite: SiteChoice['choose'];
}

/**
 * How sign-ins reach the person (SPEC §6): the URL always on stderr; the system browser unless
 * --no-browser, CI, or no display; the terminal for a pasted redirect URL or a choice only when a
 * person can answer.
 */
export function loginSurface(io: Io, env: NodeJS.ProcessEnv, options: { browser: boolean }): LoginSurface {
  const ci = isCi(env);
  const terminal = io.canPrompt ? createTerminal(io.stdin, process.stderr) : undefined;
  const mayOpen = options.browser && !ci && canOpenBrowser(env);
  if (options.browser && !ci && !mayOpen) io.detail('no display (DISPLAY, WAYLAND_DISPLAY or BROWSER): the browser is not opened');
  return {
    ui: {
      info: (message) => io.info(message),
      warn: (message) => io.warn(message),
      detail: (message) => io.detail(message),
      openBrowser: mayOpen ? openInBrowser : undefined,
      lines: terminal ? (question, signal) => terminal.lines(question, signal) : undefined,
    },
    interactive: io.canPrompt,
    ci,
    chooseSite: terminal ? (question, choices) => terminal.choose(question, choices) : undefined,
  };
}
