import type { Browser } from '../ports.js';

/**
 * Whether a browser can be opened here: on Linux and the BSDs only with a display (X11 or Wayland)
 * or an explicit $BROWSER; always on macOS and Windows. (Never in CI: the wiring decides that.)
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.BROWSER);
}

/**
 * The system browser, through the system's opener (the `open` package: xdg-open, open, start). The
 * launcher's output is discarded so stdout stays clean; a failure is the caller's to report.
 */
export const systemBrowser: Browser = {
  async open(url) {
    const { default: open } = await import('open');
    await open(url, { wait: false });
  },
};
