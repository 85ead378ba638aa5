import { existsSync } from "node:fs";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "../output/write-file.ts";
import { renderInitFile } from "../requirements/init-file.ts";

export type InitOptions = { force?: boolean; workload?: string };

/** `init [FILE]`: a commented requirements file that `advise -r` accepts unchanged. */
export function init(file: string | undefined, options: InitOptions): void {
  const target = file ?? "requirements.yaml";
  if (existsSync(target) && options.force !== true) throw new UserError(`${target}: already exists; nothing was written (add --force to replace it)`);
  writeFileAtomic(target, renderInitFile());
  process.stderr.write(`Wrote ${target}. Set what you know, then: aws-patterns advise -r ${target}\n`);
}
