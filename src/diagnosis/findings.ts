/** One line of `doctor`: what was found, how bad it is, and what to do. */
export interface Finding {
  area: Area;
  level: 'ok' | 'warning' | 'error';
  message: string;
  fix?: string | undefined;
}

/** The areas of `doctor`, in the order it prints them. */
export const AREAS = ['configuration', 'identity provider', 'ingress token', 'tokens directory', 'gateway', 'egress', 'clients'] as const;
export type Area = (typeof AREAS)[number];

export const ok = (area: Area, message: string): Finding => ({ area, level: 'ok', message });
export const warning = (area: Area, message: string, fix?: string): Finding => ({ area, level: 'warning', message, fix });
export const error = (area: Area, message: string, fix?: string): Finding => ({ area, level: 'error', message, fix });
