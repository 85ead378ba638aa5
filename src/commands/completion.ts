import type { Command } from "commander";
import { loadCatalog } from "../catalog/load.ts";

/**
 * Shell completion from the commander definitions themselves: subcommands, each one's long
 * options, the choices of options and arguments that have them, and catalog ids where a command
 * takes one. Nothing is listed twice by hand.
 */
export async function completionFor(program: Command, shell: "bash" | "zsh" | "fish"): Promise<string> {
  const ids = (await loadCatalog()).map((p) => p.id);
  return completion(program, shell, ids);
}

type Spec = { name: string; options: string[]; values: string[] };

function specs(program: Command, ids: readonly string[]): Spec[] {
  return program.commands.map((c) => {
    const options = c.options.map((o) => o.long).filter((l): l is string => l !== undefined);
    const args = c.registeredArguments.flatMap((a) => (a.argChoices ?? (a.name() === "id" ? [...ids] : [])));
    return { name: c.name(), options: [...options, "--help"], values: args };
  });
}

export function completion(program: Command, shell: "bash" | "zsh" | "fish", ids: readonly string[] = []): string {
  const all = specs(program, ids);
  const globals = program.options.map((o) => o.long).filter((l): l is string => l !== undefined);
  const commands = all.map((s) => s.name).join(" ");
  if (shell === "fish") {
    const lines = [`complete -c aws-patterns -f`, `complete -c aws-patterns -n "__fish_use_subcommand" -a "${commands}"`];
    for (const g of globals) lines.push(`complete -c aws-patterns -l ${g.slice(2)}`);
    for (const s of all) {
      for (const o of s.options) lines.push(`complete -c aws-patterns -n "__fish_seen_subcommand_from ${s.name}" -l ${o.slice(2)}`);
      if (s.values.length > 0) lines.push(`complete -c aws-patterns -n "__fish_seen_subcommand_from ${s.name}" -a "${s.values.join(" ")}"`);
    }
    return `${lines.join("\n")}\n`;
  }
  const cases = all.map((s) => `    ${s.name}) words="${[...s.options, ...s.values, ...globals].join(" ")}" ;;`).join("\n");
  const bash = `_aws_patterns() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands} ${globals.join(" ")} --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _aws_patterns aws-patterns
`;
  // zsh reads the bash function through its bash completion layer
  return shell === "zsh" ? `autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}
