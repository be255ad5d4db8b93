import type { Signals } from '../ports.js';

/** SIGINT and SIGTERM of this process, as stop requests. */
export const processSignals: Signals = {
  onStop(handler) {
    const onSigint = (): void => handler('SIGINT');
    const onSigterm = (): void => handler('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    return () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    };
  },
};
