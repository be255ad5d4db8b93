import path from 'node:path';

/** "in 59 min", "in 2 h 5 min", "3 min ago". */
export function relativeTime(seconds: number): string {
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 90) text = `${Math.round(abs)} s`;
  else if (abs < 90 * 60) text = `${Math.round(abs / 60)} min`;
  else if (abs < 48 * 3600) text = `${Math.floor(abs / 3600)} h ${Math.round((abs % 3600) / 60)} min`;
  else text = `${Math.round(abs / 86400)} d`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
