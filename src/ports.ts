/** The clock, so tests and flows agree on "now". Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Where flows report what they do; the CLI prints it on stderr. */
export interface Reporter {
  detail(message: string): void;
  warn(message: string): void;
}
