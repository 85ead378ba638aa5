import { checkbox, confirm, input, select } from "@inquirer/prompts";
import { schemaAt } from "../data-file.ts";
import { FIELDS, getPath, setPath, type Field } from "./fields.ts";
import { parseFlagValue, type Draft } from "./resolve.ts";
import { requirementsSchema, type Workload } from "./schema.ts";
import { CHOICE_DESCRIPTIONS, WORKLOAD_DESCRIPTIONS } from "./values.ts";
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
  const applies = (field: Field) => {
    const workload = (getPath(data, "workload") as Workload[] | undefined) ?? [];
    return !given.has(field.path) && (!field.askWhen || field.askWhen({ workload, residency: getPath(data, "data.residency") }));
  };
  const asked: Field[] = [];
  for (const field of FIELDS) {
    if (!applies(field)) continue;
    // progress counts what is still to come, which the workload answer narrows
    const number = asked.length + 1;
    const total = asked.length + FIELDS.slice(FIELDS.indexOf(field)).filter(applies).length;
    setPath(data, field.path, await askField(field, getPath(data, field.path) ?? defaultOf(field), `(${number}/${total}) `));
    asked.push(field);
  }
  // at the summary, change one answer at a time instead of starting over
  for (;;) {
    process.stderr.write(`\n${showSummary(data)}\n`);
    const choice = await select<string>(
      {
        message: "Rank the catalog with these requirements?",
        choices: [
          { value: "", name: "Yes, rank the catalog" },
          ...asked.map((f) => ({ value: f.path, name: `Change ${f.label.toLowerCase()} (now ${describeValue(f, getPath(data, f.path))})` })),
        ],
        default: "",
      },
      context,
    );
    if (choice === "") break;
    const field = asked.find((f) => f.path === choice)!;
    setPath(data, field.path, await askField(field, getPath(data, field.path), ""));
  }
  return { ...draft, data };
}

/** What a number means, shown beside its question. */
const HINTS: Readonly<Record<string, string>> = {
  availability: "99.9% allows about 8 h 46 min down a year (43 min a month); 99.95% about 4 h 23 min (22 min); 99.99% about 53 min (4 min)",
  latencyMs: "p99: 99 of every 100 requests answer within this",
  rpo: "0 means no loss at all",
  rto: "from the failure to serving again",
};

async function askField(field: Field, current: unknown, progress: string): Promise<unknown> {
  const hint = HINTS[field.path];
  const message = `${progress}${field.question}${hint ? ` [${hint}]` : ""}${field.path === "workload" ? " (no default: choose at least one)" : ""}`;
  const validate = (value: unknown): string | true => {
    const schema = schemaAt(requirementsSchema, field.path.split("."));
    const result = schema?.safeParse(value);
    // the answer's message names the value in words, as for a flag
    return !result || result.success ? true : (result.error.issues[0]?.message ?? "not valid").replaceAll(field.path.split(".").pop()!, field.label);
  };
  const values = field.values ?? [];
  switch (field.kind) {
    case "set": {
      const chosen = Array.isArray(current) ? (current as string[]) : [];
      return checkbox(
        {
          message,
          choices: values.map((v) => ({ value: v, checked: chosen.includes(v), ...(describe(field, v) ? { description: describe(field, v) } : {}) })),
          validate: (items: readonly { value: string }[]) => validate(items.map((i) => i.value)),
        },
        context,
      );
    }
    case "enum":
      return select({ message, choices: values.map((v) => ({ value: v, ...(describe(field, v) ? { description: describe(field, v) } : {}) })), default: String(current) }, context);
    case "bool":
      return confirm({ message, default: current === true }, context);
    default: {
      const answer = await input(
        {
          message,
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

/** One line about a choice, shown under the list when it is highlighted. */
function describe(field: Field, value: string): string | undefined {
  if (field.path === "workload") return WORKLOAD_DESCRIPTIONS[value as Workload];
  return CHOICE_DESCRIPTIONS[field.path]?.[value];
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
