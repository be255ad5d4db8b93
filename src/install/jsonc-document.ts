import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { unreadable, type ServersDocument } from './documents.js';

interface Style {
  eol: string;
  /** One level of indentation: a tab, or some spaces. */
  unit: string;
}

/** The file's own indentation and line ending, so that what is added looks as if written there by hand. */
function styleOf(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1];
  return { eol, unit: indent?.startsWith('\t') ? '\t' : indent ? indent : '  ' };
}

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
/** The whitespace a line begins with. */
const indentAt = (text: string, offset: number): string => /^[ \t]*/.exec(text.slice(lineStart(text, offset)))?.[0] ?? '';
const sameLine = (text: string, a: number, b: number): boolean => !text.slice(Math.min(a, b), Math.max(a, b)).includes('\n');

/** A value laid out at `indent`, in the file's style. */
function pretty(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).split('\n').join(`${style.eol}${indent}`);
}

function parse(file: string, text: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) throw unreadable(file, `${printParseErrorCode(first.error)} on line ${text.slice(0, first.offset).split('\n').length}`);
  if (root && root.type !== 'object') throw unreadable(file, 'it is not a JSON object');
  return root;
}

/**
 * JSON with comments and trailing commas, as VS Code and the other clients write it, read with
 * jsonc-parser (VS Code's own parser). Each change is one text edit, laid out in the file's own
 * indentation and line ending: a new entry goes after the last one, a removed entry takes the text
 * its insertion added, so comments, key order and the layout of everything else are untouched, and
 * removing what was added gives the same bytes back.
 */
export function openJsonc(file: string, original: string, serversKey: string): ServersDocument {
  const style = styleOf(original);
  let text = original.trim() === '' ? `{}${style.eol}` : original;
  const first = parse(file, text);
  const serversNode = first ? findNodeAtLocation(first, [serversKey]) : undefined;
  if (serversNode && serversNode.type !== 'object') throw unreadable(file, `"${serversKey}" is not an object`);

  const splice = (offset: number, length: number, content: string): void => {
    text = text.slice(0, offset) + content + text.slice(offset + length);
  };

  /** Adds `key: value` as the last property of `object`. */
  const insert = (object: Node, key: string, value: unknown): void => {
    const children = object.children ?? [];
    const objectIndent = indentAt(text, object.offset);
    const last = children[children.length - 1];
    if (!last) {
      const inner = `${objectIndent}${style.unit}`;
      // `{}` (or `{ }`): the braces' inside becomes the one property.
      splice(
        object.offset + 1,
        object.length - 2,
        `${style.eol}${inner}${JSON.stringify(key)}: ${pretty(value, inner, style)}${style.eol}${objectIndent}`,
      );
      return;
    }
    const firstChild = children[0] as Node;
    if (sameLine(text, object.offset, firstChild.offset)) {
      splice(last.offset + last.length, 0, `, ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
      return;
    }
    const inner = indentAt(text, firstChild.offset);
    splice(last.offset + last.length, 0, `,${style.eol}${inner}${JSON.stringify(key)}: ${pretty(value, inner, style)}`);
  };

  const servers = (): Node | undefined => {
    const root = parse(file, text);
    return root ? findNodeAtLocation(root, [serversKey]) : undefined;
  };

  return {
    get: (name) => {
      const node = servers();
      const entry = node ? findNodeAtLocation(node, [name]) : undefined;
      return entry ? (getNodeValue(entry) as unknown) : undefined;
    },
    set: (name, value) => {
      const node = servers();
      if (!node) {
        insert(parse(file, text) as Node, serversKey, { [name]: value });
        return;
      }
      const existing = findNodeAtLocation(node, [name]);
      if (existing)
        splice(existing.offset, existing.length, pretty(value, indentAt(text, existing.parent?.offset ?? existing.offset), style));
      else insert(node, name, value);
    },
    remove: (name) => {
      const node = servers();
      const property = node ? findNodeAtLocation(node, [name])?.parent : undefined;
      if (!node || !property) return;
      const children = node.children ?? [];
      const index = children.indexOf(property);
      const previous = children[index - 1];
      const next = children[index + 1];
      if (previous) splice(previous.offset + previous.length, property.offset + property.length - (previous.offset + previous.length), '');
      else if (next) splice(property.offset, next.offset - property.offset, '');
      else splice(node.offset + 1, node.length - 2, '');
    },
    text: () => text,
  };
}
