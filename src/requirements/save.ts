import { stringify } from "yaml";
import { writeFileAtomic } from "../output/write-file.ts";

/**
 * A requirements file holding what was stated (file, flags and answers merged): what `advise -r`
 * reads back to the same advice. Fields left out stay unknown, as they were.
 */
export function renderRequirementsFile(stated: Readonly<Record<string, unknown>>, generator: string): string {
  return [
    `# Requirements saved by aws-patterns ${generator}: what was stated, nothing assumed.`,
    "# Fields left out are unknown: assumed for cost and scaffolds, never scored. See `aws-patterns init`.",
    stringify(stated, { lineWidth: 0 }).trimEnd(),
    "",
  ].join("\n");
}

export function saveRequirements(file: string, stated: Readonly<Record<string, unknown>>, generator: string): void {
  writeFileAtomic(file, renderRequirementsFile(stated, generator));
}
