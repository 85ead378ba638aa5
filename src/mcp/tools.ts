import { z } from "zod";
import { findPattern, loadCatalog } from "../catalog/load.ts";
import { adviseDraft } from "../commands/advise.ts";
import { DIFF_FORMATS, diffRequirements } from "../commands/diff.ts";
import { listJson } from "../commands/list.ts";
import { requirementsJsonSchema } from "../commands/schema.ts";
import { scaffoldEntry } from "../commands/scaffold.ts";
import { renderShow, SHOW_FORMATS } from "../commands/show.ts";
import { checkRecords, renderVerdict } from "../commands/verify.ts";
import { makeStyle } from "../render/style.ts";
import { draftFromValue, resolveRequirements, type Draft } from "../requirements/draft.ts";
import { requirementsSchema } from "../requirements/schema.ts";
import { summarizeVerdict } from "../verify/render.ts";
import { readArguments } from "./arguments.ts";
import { insideRoot } from "./inside-root.ts";

/** What every tool call may use besides its arguments: the server's root, the catalog folders, the version. */
export type ToolContext = { root: string; patterns: readonly string[]; generator: string };

/** A tool: its name, what it does, its input schema (zod, the CLI's own schemas) and how it runs; it returns text items. */
export type Tool = {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  /** arguments read as requirements (by the requirements reader, as a file would be) */
  requirements: readonly string[];
  readOnly: boolean;
  run: (args: Record<string, unknown> | undefined, context: ToolContext) => Promise<string[]>;
};

const ID = z.string().min(1).describe("catalog id, as list_patterns gives it (for example serverless)");
const REQUIREMENTS = requirementsSchema.describe("requirements, as in a requirements file (requirements_schema); only workload is required");
const PATH = z.string().min(1);
/** A requirements file or decision record inside the root, or the requirements themselves. */
const REQUIREMENTS_OR_FILE = z.union([PATH.describe("a requirements file (YAML or JSON) or a design document, inside the root"), REQUIREMENTS]);

/** One tool, its argument types taken from its zod input. */
function tool<T extends z.ZodObject>(spec: Omit<Tool, "input" | "run" | "requirements"> & { input: T; requirements?: readonly string[]; run: (args: z.input<T>, context: ToolContext) => Promise<string[]> }): Tool {
  const requirements = spec.requirements ?? [];
  return { ...spec, requirements, run: (sent, context) => spec.run(readArguments(spec.name, spec.input, requirements, sent), context) };
}

/** A requirements argument as a draft: a path (checked to lie inside the root) is read as a file; anything else is read as the requirements. */
function draftArgument(value: unknown, name: string, root: string): string | Draft {
  return typeof value === "string" ? insideRoot(root, value) : draftFromValue(value, name);
}

/** The tools, in the order a client lists them. */
export const TOOLS: readonly Tool[] = [
  tool({
    name: "list_patterns",
    title: "List the catalog",
    description: "Lists every catalog entry: id, title, kind (pattern or generic), summary, and the generic entries it embodies. The JSON of `aws-patterns list --format json`.",
    input: z.strictObject({}),
    readOnly: true,
    run: async (_args, { patterns }) => [listJson(await loadCatalog(patterns))],
  }),
  tool({
    name: "show_pattern",
    title: "Show one entry",
    description: "Shows one catalog entry: problem, services, diagram, rationale, trade-offs and the envelope it is designed for. As `aws-patterns show <id>`: text (default), json (the whole entry) or mermaid (the diagram alone).",
    input: z.strictObject({ id: ID, format: z.enum(SHOW_FORMATS).optional().describe("text (default), json or mermaid") }),
    readOnly: true,
    run: async ({ id, format }, { patterns }) => [renderShow(findPattern(await loadCatalog(patterns), id), format ?? "text", makeStyle(process.stderr, false))],
  }),
  tool({
    name: "requirements_schema",
    title: "Requirements schema",
    description: "The JSON Schema of the requirements that advise, scaffold, verify and diff take. Only workload is required; every other field has a default. As `aws-patterns schema`.",
    input: z.strictObject({}),
    readOnly: true,
    run: async () => [requirementsJsonSchema()],
  }),
  tool({
    name: "advise",
    title: "Advise on requirements",
    description:
      "Ranks the catalog against the requirements and recommends a primary pattern plus complements, with every point of every score explained. Returns the JSON of `aws-patterns advise --format json`; with document: true, also the design document (a Markdown architecture decision record) as a second item.",
    input: z.strictObject({ requirements: REQUIREMENTS, document: z.boolean().optional().describe("also return the design document (Markdown)") }),
    requirements: ["requirements"],
    readOnly: true,
    run: async ({ requirements, document }, { patterns, generator }) => {
      const draft = draftFromValue(requirements, "requirements");
      for (const notice of draft.notices) process.stderr.write(`aws-patterns: ${notice}\n`);
      const advice = await adviseDraft(draft, await loadCatalog(patterns), generator, document === true);
      return [advice.json, ...(advice.document === undefined ? [] : [advice.document])];
    },
  }),
  tool({
    name: "scaffold",
    title: "Scaffold a CDK app",
    description:
      "Writes a starter AWS CDK app (TypeScript) for one catalog entry into a folder inside the server's root, tuned to the requirements when given. A folder that is not empty is written into only with force: true, and then only the generated files are replaced. As `aws-patterns scaffold <id> --out DIR`.",
    input: z.strictObject({
      id: ID,
      out: PATH.describe("the folder to write, inside the server's root (relative paths start there)"),
      requirements: REQUIREMENTS.optional(),
      name: z.string().optional().describe("kebab-case app name (default: the requirements' name, else the id)"),
      force: z.boolean().optional().describe("write into a folder that is not empty, replacing only generated files"),
      dryRun: z.boolean().optional().describe("list the files that would be written; write nothing"),
    }),
    requirements: ["requirements"],
    readOnly: false,
    run: async ({ id, out, requirements, name, force, dryRun }, { root, patterns, generator }) => {
      const target = insideRoot(root, out);
      const tuned = requirements === undefined ? undefined : await resolveRequirements(draftFromValue(requirements, "requirements"));
      return [scaffoldEntry(await loadCatalog(patterns), id, tuned, { out: target, name, force, dryRun, generator })];
    },
  }),
  tool({
    name: "verify",
    title: "Verify a decision",
    description:
      "Checks that recorded decisions (design documents written by advise, or folders of them) still fit their requirements, or the requirements given, and that the infrastructure (a CDK cloud assembly or CloudFormation templates) still delivers them. Returns the JSON of `aws-patterns verify --format json` and a line that says whether the decision holds. Paths lie inside the server's root.",
    input: z.strictObject({
      records: z.array(PATH).optional().describe("design documents, or folders of them (records in force only)"),
      requirements: REQUIREMENTS_OR_FILE.optional().describe("check against these requirements instead of the recorded ones"),
      assembly: PATH.optional().describe("a CDK cloud assembly folder (cdk.out)"),
      templates: z.array(PATH).optional().describe("CloudFormation templates (JSON or YAML)"),
      strict: z.boolean().optional().describe("count what could not be checked as a failure"),
    }),
    requirements: ["requirements"],
    readOnly: true,
    run: async ({ records, requirements, assembly, templates, strict }, { root, patterns, generator }) => {
      const verdict = await checkRecords(
        (records ?? []).map((r) => insideRoot(root, r)),
        {
          ...(requirements === undefined ? {} : { requirements: draftArgument(requirements, "requirements", root) }),
          ...(assembly === undefined ? {} : { assembly: insideRoot(root, assembly) }),
          ...(templates === undefined ? {} : { template: templates.map((t) => insideRoot(root, t)) }),
          strict,
          patterns: [...patterns],
        },
      );
      return [renderVerdict(verdict, "json", generator), summarizeVerdict(verdict.findings, verdict.strict)];
    },
  }),
  tool({
    name: "diff",
    title: "Compare two sets of requirements",
    description:
      "How the advice moves between two sets of requirements: the changed requirements, the ranking, the recommendation, the cost and the verdicts that flip. Each side is a requirements file or design document inside the server's root, or the requirements themselves. Returns the JSON of `aws-patterns diff BEFORE AFTER --format json` (or md or text).",
    input: z.strictObject({
      before: REQUIREMENTS_OR_FILE,
      after: REQUIREMENTS_OR_FILE,
      format: z.enum(DIFF_FORMATS).optional().describe("json (default), md (for a pull-request comment) or text"),
    }),
    requirements: ["before", "after"],
    readOnly: true,
    run: async ({ before, after, format }, { root, patterns }) => [
      await diffRequirements(draftArgument(before, "before", root), draftArgument(after, "after", root), format ?? "json", patterns),
    ],
  }),
];
