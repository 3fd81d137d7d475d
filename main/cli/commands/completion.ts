import type { Services } from '../../services/context.js';
import { AppError } from '../../services/core/errors.js';
import { candidates, COMMAND_NAMES, FILES, profileNames } from '../complete.js';
import type { CliIO } from '../io.js';

const SYNOPSIS = 'completion bash|zsh|fish';

/*
 * Each script asks `alicloud-signin __complete -- WORD...` for candidates (the launcher answers
 * from the profiles file, without the keychain or the full CLI) and turns the two instruction
 * lines into the shell's own completion: `:files` for file names, `:commands` for command names.
 */
const BASH = `# alicloud-signin completion for bash. Load it with:
#   source <(alicloud-signin completion bash)
_alicloud_signin() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line IFS=$'\\n'
  local -a lines
  lines=($(command alicloud-signin __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  for line in "\${lines[@]}"; do
    case "$line" in
      ${FILES}) COMPREPLY+=($(compgen -f -- "$cur")) ;;
      ${COMMAND_NAMES}) COMPREPLY+=($(compgen -c -- "$cur")) ;;
      *) COMPREPLY+=("$line") ;;
    esac
  done
}
complete -o bashdefault -o default -F _alicloud_signin alicloud-signin
`;

const ZSH = `#compdef alicloud-signin
# alicloud-signin completion for zsh. Load it with (after compinit):
#   source <(alicloud-signin completion zsh)
_alicloud_signin() {
  local -a lines found
  local line
  lines=("\${(@f)$(command alicloud-signin __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    case "$line" in
      ${FILES}) _files; return ;;
      ${COMMAND_NAMES}) _command_names -e; return ;;
      '') ;;
      *) found+=("$line") ;;
    esac
  done
  (( \${#found} )) && compadd -Q -- "\${found[@]}"
}
compdef _alicloud_signin alicloud-signin
`;

const FISH = `# alicloud-signin completion for fish. Load it with:
#   alicloud-signin completion fish | source
function __alicloud_signin_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    for line in (command alicloud-signin __complete -- $words 2>/dev/null)
        switch $line
            case '${FILES}'
                __fish_complete_path (commandline -ct)
            case '${COMMAND_NAMES}'
                __fish_complete_command
            case '*'
                echo $line
        end
    end
end
complete -c alicloud-signin -f -a '(__alicloud_signin_complete)'
`;

const SCRIPTS: Readonly<Record<string, string>> = { bash: BASH, zsh: ZSH, fish: FISH };

/** `completion bash|zsh|fish`: the script that completes commands, flags and profile names. */
export async function completion(_services: Services, io: CliIO, argv: string[]): Promise<void> {
  const [shell, ...extra] = argv;
  const script = shell !== undefined ? SCRIPTS[shell] : undefined;
  if (!script || extra.length > 0) {
    throw new AppError('INVALID_INPUT', `Usage: alicloud-signin ${SYNOPSIS}`);
  }
  io.out(script);
}

/** `__complete -- WORD...` when the launcher did not answer it (the candidates, one per line). */
export async function completeCommand(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const words = argv[0] === '--' ? argv.slice(1) : argv;
  const lines = await candidates(words.length > 0 ? words : [''], () =>
    profileNames({ ...process.env, ALICLOUD_SIGNIN_HOME: services.dataDir }),
  );
  if (lines.length > 0) io.out(lines.join('\n'));
}
