import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { envFileText, envLine } from './env-file.js';

describe('the .env init writes', () => {
  it('reads back exactly through dotenv, whatever the value holds', () => {
    const values = [
      'plain-value_1.2',
      'https://keycloak.example.com/realms/x',
      'with space',
      'hash # inside',
      '#leading',
      'q"uote',
      "it's",
      'back\\slash',
      'end\\',
      'lit\\nx',
      'lit\\rx',
      'multi\nline',
      '$dollar and ${brace}',
      'back`tick',
      ' padded ',
      '=equals=',
      'mixed "double" and \'single\'',
      'ünïcødé',
      '',
    ];
    const text = envFileText([{ title: 'all', values: values.map((value, i) => [`V${i}`, value] as const) }], new Date(0));
    const read = parse(text);
    values.forEach((value, i) => expect(read[`V${i}`], JSON.stringify(value)).toBe(value));
  });

  it('refuses what dotenv cannot read back, naming the variable and not the value', () => {
    expect(() => envLine('S', 'a\rb')).toThrow('S: a carriage return cannot be written to .env');
    expect(() => envLine('S', `'"\``)).toThrow('S holds');
  });
});
