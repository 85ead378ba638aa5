import { checkbox, confirm, input, select } from "@inquirer/prompts";
import { schemaAt } from "../data-file.ts";
import { FIELDS, getPath, setPath, type Field } from "./fields.ts";
import { parseFlagValue, type Draft } from "./resolve.ts";
import { requirementsSchema, type Workload } from "./schema.ts";
import { describeValue } from "./summary.ts";

/** Where prompts are drawn: stderr, so that stdout carries only the report or the JSON. */
const context = { input: process.stdin, output: process.stderr };

/**
 * Asks, in the order of FIELDS, for every field the file and flags left open and that matters for
 * the chosen workloads; each answer is validated by the same schema as the file. Shows a summary
 * and asks again (answers kept as defaults) until the user confirms. Returns the completed draft.
 */
export async function askRequirements(draft: Draft, showSummary: (data: Record<string, unknown>) => string): Promise<Draft> {
  const given = new Set(FIELDS.filter((f) => getPath(draft.data, f.path) !== undefined).map((f) => f.path));
  const data = structuredClone(draft.data);
  for (;;) {
    for (const field of FIELDS) {
      if (given.has(field.path)) continue;
      const workload = (getPath(data, "workload") as Workload[] | undefined) ?? [];
      if (field.askWhen && !field.askWhen({ workload, residency: getPath(data, "data.residency") })) continue;
      setPath(data, field.path, await askField(field, getPath(data, field.path) ?? defaultOf(field)));
    }
    process.stderr.write(`\n${showSummary(data)}\n`);
    if (await confirm({ message: "Rank the catalog with these requirements?", default: true }, context)) break;
    for (const field of FIELDS) if (!draft.fromFlags.has(field.path)) given.delete(field.path);
  }
  return { ...draft, data };
}

async function askField(field: Field, current: unknown): Promise<unknown> {
  const validate = (value: unknown): string | true => {
    const schema = schemaAt(requirementsSchema, field.path.split("."));
    const result = schema?.safeParse(value);
    return !result || result.success ? true : (result.error.issues[0]?.message ?? "not valid");
  };
  const values = field.values ?? [];
  switch (field.kind) {
    case "set": {
      const chosen = Array.isArray(current) ? (current as string[]) : [];
      return checkbox(
        {
          message: field.question,
          choices: values.map((v) => ({ value: v, checked: chosen.includes(v) })),
          validate: (items: readonly { value: string }[]) => validate(items.map((i) => i.value)),
        },
        context,
      );
    }
    case "enum":
      return select({ message: field.question, choices: values.map((v) => ({ value: v })), default: String(current) }, context);
    case "bool":
      return confirm({ message: field.question, default: current === true }, context);
    default: {
      const answer = await input(
        {
          message: field.question,
          default: current === null || current === undefined ? "" : describeValue(field, current),
          validate: (text: string) => {
            const parsed = parseFlagValue(field, text);
            return parsed.ok ? validate(parsed.value) : parsed.message;
          },
        },
        context,
      );
      const parsed = parseFlagValue(field, answer);
      return parsed.ok ? parsed.value : answer;
    }
  }
}

function defaultOf(field: Field): unknown {
  const schema = schemaAt(requirementsSchema, field.path.split("."));
  const result = schema?.safeParse(undefined);
  return result?.success ? result.data : undefined;
}

/** Offers to save the answers: a file path, or undefined when the person leaves it empty. */
export async function askSaveFile(suggested: string): Promise<string | undefined> {
  const answer = await input({ message: "Save these requirements to a file? (path, empty to skip)", default: suggested }, context);
  return answer.trim() === "" ? undefined : answer.trim();
}
