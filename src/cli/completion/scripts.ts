import type { CommandShape, OptionShape, ValueKind } from './describe.js';

/**
 * Completion scripts for bash, zsh and fish, generated from the program's own definitions
 * (describe.ts), so a new command or option completes without anyone editing a script. Server names
 * are asked of `mcpgw-creds completion --servers` when the user presses Tab (they change with the
 * tokens directory); commands, options, clients and providers are written into the script.
 */
export interface CompletionInput {
  program: CommandShape;
  providers: readonly string[];
}

const NAME = 'mcpgw-creds';

/** A description short enough for a completion menu: its first clause. */
function brief(description: string): string {
  const first = description.split(/ \(|; |: /)[0] ?? description;
  return first.length > 70 ? `${first.slice(0, 67)}...` : first;
}

function walk(shape: CommandShape): CommandShape[] {
  return [shape, ...shape.subcommands.flatMap(walk)];
}

function words(kind: ValueKind, providers: readonly string[]): readonly string[] | undefined {
  if (kind === 'provider') return providers;
  return typeof kind === 'string' ? undefined : kind;
}

const singleQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function bashScript({ program, providers }: CompletionInput): string {
  const commands = walk(program);
  const valueOptions = new Map<string, ValueKind | 'any'>();
  for (const command of commands) for (const option of command.options) if (option.value) valueOptions.set(option.long, option.value);
  const valueCases = [...valueOptions].map(([long, kind]) => {
    const body =
      kind === 'server'
        ? // Read line by line, not through compgen -W, which would expand $(...) in a name.
          `COMPREPLY=(); while IFS= read -r word; do [[ $word == "$cur"* ]] && COMPREPLY+=("$word"); done < <(command ${NAME} completion --servers "\${where[@]}" 2>/dev/null)`
        : kind === 'file'
          ? 'COMPREPLY=($(compgen -f -- "$cur"))'
          : kind === 'dir'
            ? 'COMPREPLY=($(compgen -d -- "$cur"))'
            : kind === 'any'
              ? 'COMPREPLY=()'
              : `COMPREPLY=($(compgen -W ${singleQuoted((words(kind, providers) ?? []).join(' '))} -- "$cur"))`;
    return `    ${long}) ${body}; return ;;`;
  });
  const pathCases = commands
    .filter((command) => command.path.length > 0)
    .map((command) => `"${command.path.slice(0, -1).join(' ')}:${command.path.at(-1) ?? ''}"`);
  const optionCases = commands.map(
    (command) => `    "${command.path.join(' ')}") opts=${singleQuoted(command.options.map((o) => o.long).join(' '))} ;;`,
  );
  const wordCases = commands
    .map((command) => {
      const next = command.subcommands.length > 0 ? command.subcommands.map((sub) => sub.path.at(-1) ?? '') : (command.argument ?? []);
      return next.length > 0 ? `    "${command.path.join(' ')}") next=${singleQuoted(next.join(' '))} ;;` : undefined;
    })
    .filter((line) => line !== undefined);
  return `# bash completion for ${NAME}: source it, or save it as ~/.local/share/bash-completion/completions/${NAME}
# (written by \`${NAME} completion bash\`; run it again after an upgrade)
_mcpgw_creds() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local key="" word i opts="" next=""
  # Where the server names come from: the --env-file and --tokens-dir typed so far.
  local -a where=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    case "$word" in --env-file|--tokens-dir|--store) where+=("$word" "\${COMP_WORDS[i+1]}") ;; esac
  done
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    case "$key:$word" in
      ${pathCases.join('|')}) key=\${key:+$key }$word ;;
      *) break ;;
    esac
  done
  case "$prev" in
${valueCases.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case "$key" in
${optionCases.join('\n')}
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  case "$key" in
${wordCases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$next" -- "$cur"))
}
complete -F _mcpgw_creds ${NAME}
`;
}

/** zsh's _arguments wants `[`, `]`, `:` and `\` in a description escaped. */
const zshText = (text: string): string => brief(text).replace(/([[\]:\\])/g, '\\$1');

function zshOption(option: OptionShape, providers: readonly string[]): string {
  if (!option.value) return singleQuoted(`${option.long}[${zshText(option.description)}]`);
  const kind = option.value;
  const action =
    kind === 'server'
      ? 'server:_mcpgw_creds_servers'
      : kind === 'file'
        ? 'file:_files'
        : kind === 'dir'
          ? 'directory:_files -/'
          : kind === 'any'
            ? 'value: '
            : `value:(${(words(kind, providers) ?? []).join(' ')})`;
  return singleQuoted(`*${option.long}=[${zshText(option.description)}]:${action}`);
}

function zshFunction(command: CommandShape, providers: readonly string[]): string[] {
  const name = ['_mcpgw_creds', ...command.path].join('__').replace(/-/g, '_');
  const specs = command.options.map((option) => zshOption(option, providers));
  let tail: string[] = [];
  if (command.subcommands.length > 0) {
    specs.push("'1: :->command'", "'*:: :->args'");
    const described = command.subcommands.map((sub) =>
      singleQuoted(`${sub.path.at(-1) ?? ''}:${brief(sub.description).replace(/:/g, '\\:')}`),
    );
    const cases = command.subcommands.map(
      (sub) => `        ${sub.path.at(-1) ?? ''}) ${['_mcpgw_creds', ...sub.path].join('__').replace(/-/g, '_')} ;;`,
    );
    tail = [
      '  case $state in',
      '    command)',
      `      local -a commands=(${described.join(' ')})`,
      "      _describe 'command' commands ;;",
      '    args)',
      '      case $line[1] in',
      ...cases,
      '      esac ;;',
      '  esac',
    ];
  } else if (command.argument) {
    specs.push(singleQuoted(`1:argument:(${command.argument.join(' ')})`));
  }
  const own = [
    `${name}() {`,
    '  local curcontext="$curcontext" state line',
    '  typeset -A opt_args',
    `  _arguments -C -s ${specs.join(' \\\n    ')}`,
    ...tail,
    '}',
  ];
  return [...own, ...command.subcommands.flatMap((sub) => zshFunction(sub, providers))];
}

export function zshScript({ program, providers }: CompletionInput): string {
  return [
    `#compdef ${NAME}`,
    `# zsh completion for ${NAME}: save it as _${NAME} in a folder of $fpath (written by \`${NAME} completion zsh\`)`,
    '_mcpgw_creds_servers() {',
    '  local -a servers where',
    '  local i',
    '  for ((i = 2; i < CURRENT; i++)); do',
    '    case $words[i] in --env-file|--tokens-dir|--store) where+=($words[i] $words[i+1]) ;; esac',
    '  done',
    `  servers=(\${(f)"$(command ${NAME} completion --servers $where 2>/dev/null)"})`,
    "  _describe 'server' servers",
    '}',
    ...zshFunction(program, providers),
    // Sourced directly (not autoloaded from $fpath): register the function.
    `if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _mcpgw_creds "$@"; else compdef _mcpgw_creds ${NAME}; fi`,
    '',
  ].join('\n');
}

/** fish's single-quoted strings take `\'` and `\\`. */
const fishQuoted = (text: string): string => `'${text.replace(/[\\']/g, '\\$&')}'`;

export function fishScript({ program, providers }: CompletionInput): string {
  const lines = [
    `# fish completion for ${NAME}: save it as ~/.config/fish/completions/${NAME}.fish (written by \`${NAME} completion fish\`)`,
    `complete -c ${NAME} -f`,
    'function __mcpgw_creds_servers',
    '  set -l tokens (commandline -opc)',
    '  set -l where',
    '  for i in (seq 2 (count $tokens))',
    '    switch $tokens[$i]',
    '      case --env-file --tokens-dir --store',
    '        set -a where $tokens[$i] $tokens[(math $i + 1)]',
    '    end',
    '  end',
    `  command ${NAME} completion --servers $where 2>/dev/null`,
    'end',
  ];
  const subcommandNames = (command: CommandShape): string => command.subcommands.map((sub) => sub.path.at(-1) ?? '').join(' ');
  for (const command of walk(program)) {
    // When this command's options and words apply.
    const condition =
      command.path.length === 0
        ? '__fish_use_subcommand'
        : command.subcommands.length > 0
          ? `__fish_seen_subcommand_from ${command.path.at(-1) ?? ''}; and not __fish_seen_subcommand_from ${subcommandNames(command)}`
          : `__fish_seen_subcommand_from ${command.path.at(-1) ?? ''}`;
    for (const sub of command.subcommands) {
      lines.push(`complete -c ${NAME} -n ${fishQuoted(condition)} -a ${sub.path.at(-1) ?? ''} -d ${fishQuoted(brief(sub.description))}`);
    }
    if (command.argument) lines.push(`complete -c ${NAME} -n ${fishQuoted(condition)} -a ${fishQuoted(command.argument.join(' '))}`);
    for (const option of command.options) {
      const kind = option.value;
      const value =
        kind === undefined
          ? ''
          : kind === 'server'
            ? " -x -a '(__mcpgw_creds_servers)'"
            : kind === 'file'
              ? ' -r -F'
              : kind === 'dir'
                ? " -x -a '(__fish_complete_directories)'"
                : kind === 'any'
                  ? ' -x'
                  : ` -x -a ${fishQuoted((words(kind, providers) ?? []).join(' '))}`;
      lines.push(
        `complete -c ${NAME} -n ${fishQuoted(condition)} -l ${option.long.slice(2)}${value} -d ${fishQuoted(brief(option.description))}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
