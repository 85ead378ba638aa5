import { toProblems, type DataFile } from "../data-file.ts";
import { formatPath, formatProblem, UserError } from "../errors.ts";
import type { Draft } from "./draft.ts";
import { deriveQuantities, statedPaths, type Assessed } from "./basis.ts";
import { FIELDS, getPath, type Field } from "./fields.ts";
import { requirementsSchema, WORKLOADS, type Requirements } from "./schema.ts";

export { draftOf, draftRequirements, parseFlagValue, camel, type Draft, type FlagValues } from "./draft.ts";

/**
 * Validates a draft, filling defaults. Problems name the flag or the file, path and line. A missing
 * workload is reported with how to give one, after the file's other problems (a `workloads:` typo
 * is then shown with its suggestion, not only as a missing workload).
 */
export function finishRequirements(draft: Draft): Requirements {
  const result = requirementsSchema.safeParse(draft.data);
  if (result.success) return result.data;
  const source: DataFile = draft.source ?? { file: "requirements", data: draft.data, lineOf: () => undefined };
  const noWorkload = getPath(draft.data, "workload") === undefined;
  const issues = noWorkload ? result.error.issues.filter((i) => !(i.path.length === 1 && i.path[0] === "workload")) : result.error.issues;
  const lines = toProblems(issues, { ...source, data: draft.data }, requirementsSchema).map((problem) => {
    const field = fieldOf(problem.path);
    // a message about a flag names the value in words, not by its key in the file
    if (field && draft.fromFlags.has(field.path)) return `--${field.flag}: ${problem.message.replaceAll(field.path.split(".").pop()!, field.label)}`;
    return formatProblem(problem);
  });
  if (noWorkload) {
    const where = draft.source ? `${draft.source.file} has no \`workload:\`` : "no workload was given";
    lines.push(`${where}; pass --workload (one or more of ${WORKLOADS.join(", ")}), or a requirements file with a \`workload:\` list, or run in a terminal to be asked`);
    if (lines.length === 1) throw new UserError(lines);
  }
  throw new UserError(lines, "run `aws-patterns schema` for the full requirements format");
}

/** `finishRequirements` with the derivations: the same as `assessRequirements`, synchronously, always through the schema. */
export function assessDraft(draft: Draft): Assessed {
  return deriveQuantities(finishRequirements(draft), statedPaths(draft.data));
}

/** The field a problem path falls under (`workload[1]` is under `workload`). */
function fieldOf(path: readonly (string | number)[]): Field | undefined {
  const dotted = formatPath(path.filter((k) => typeof k === "string"));
  return FIELDS.find((f) => dotted === f.path || dotted.startsWith(`${f.path}.`) || dotted.startsWith(`${f.path}[`));
}

