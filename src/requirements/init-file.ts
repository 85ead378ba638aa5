import { schemaAt } from "../data-file.ts";
import { FIELDS, type Field } from "./fields.ts";
import { requirementsSchema } from "./schema.ts";
import { WORKLOAD_DESCRIPTIONS } from "./values.ts";

/** What a field's value looks like, for the comment beside it. */
function formatOf(field: Field): string {
  switch (field.kind) {
    case "int":
      return `whole number${field.unit ? `, ${field.unit}` : ""}`;
    case "number":
      return `number${field.unit ? `, ${field.unit}` : ""}`;
    case "budget":
      return "US dollars a month, or null for no budget";
    case "duration":
      return "0, or a number with s, m, h or d: 30s, 15m, 4h, 1d";
    case "enum":
      return (field.values ?? []).join(" | ");
    case "set":
      return `list of: ${(field.values ?? []).join(", ")}`;
    case "list":
      return "list of AWS Region codes, e.g. [eu-central-1]";
    case "bool":
      return "true or false";
    case "name":
      return "kebab-case, 1-40 characters";
  }
}

function yamlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  if (value === null) return "null";
  return String(value);
}

/**
 * A commented requirements file from the field table and the schema: every field with its meaning,
 * format and default. Only `name` and `workload` are set; everything else is commented out, because
 * a field left out is unknown (assumed for cost and scaffolds, never scored), while a field written
 * down, even with its default, is a statement that is scored.
 */
export function renderInitFile(): string {
  const lines = [
    "# aws-patterns requirements. Run: aws-patterns advise -r requirements.yaml",
    "#",
    "# Only `workload` is required. A field you leave commented out is unknown: the default beside it",
    "# is assumed for the cost estimate and the scaffold, but it earns no points for or against any",
    "# pattern. Uncomment what you know (and its section line, such as `traffic:`).",
    "",
  ];
  const sections = new Set<string>();
  for (const field of FIELDS) {
    const schema = schemaAt(requirementsSchema, field.path.split("."));
    const described = schema?.description ?? field.question;
    const parsed = schema?.safeParse(undefined);
    const fallback = parsed?.success ? parsed.data : undefined;
    const parts = field.path.split(".");
    const key = parts[parts.length - 1]!;
    if (parts.length === 2 && !sections.has(parts[0]!)) {
      sections.add(parts[0]!);
      lines.push("", `# ${parts[0]}:`);
    } else if (parts.length === 1 && sections.size > 0 && lines[lines.length - 1]!.startsWith("#   ")) {
      lines.push("");
    }
    const indent = parts.length === 2 ? "  " : "";
    const active = field.path === "name" || field.path === "workload";
    const value = field.path === "workload" ? "[web-app]" : field.path === "name" ? "my-app" : yamlValue(fallback);
    const entry = `${indent}${key}: ${value}`;
    const comment = `${described} (${formatOf(field)}${active || fallback === undefined ? "" : `; default ${yamlValue(fallback)}`})`;
    lines.push(`${active ? "" : "# "}${entry.padEnd(32)} # ${comment}`);
    if (field.path === "workload")
      for (const [w, says] of Object.entries(WORKLOAD_DESCRIPTIONS)) lines.push(`${"".padEnd(34)}#   ${w}: ${says}`);
  }
  return `${lines.join("\n")}\n`;
}
