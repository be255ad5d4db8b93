/**
 * Whether a browser can be opened here: never in CI; on Linux and the BSDs only with a display
 * (X11 or Wayland) or an explicit $BROWSER; always on macOS and Windows.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.BROWSER);
}

/**
 * Opens the URL with the system's opener (the `open` package: xdg-open, open, start). The
 * launcher's output is discarded so stdout stays clean; a failure is the caller's to report.
 */
export async function openInBrowser(url: string): Promise<void> {
  const { default: open } = await import('open');
  await open(url, { wait: false });
}
