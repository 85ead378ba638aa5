import { join, relative } from "node:path";
import { findPattern, loadCatalog } from "../catalog/load.ts";
import type { Catalog, Pattern } from "../catalog/schema.ts";
import { HOST_PART_LABELS } from "../catalog/values.ts";
import { UserError } from "../errors.ts";
import { writeFiles } from "../output/write-files.ts";
import { renderScaffold, type FileMap } from "../render/scaffold.ts";
import { scaffoldFacts } from "../render/scaffold-facts.ts";
import { deriveSettings, noSettings, type DerivedSettings } from "../render/scaffold-settings.ts";
import { readTemplateFolder, templatesDir, type TemplateFiles } from "../render/templates.ts";
import type { Requirements } from "../requirements/schema.ts";
import { KEBAB_NAME } from "../requirements/values.ts";
import type { ComplementReason } from "../scoring/recommend.ts";

export type ScaffoldCommandOptions = {
  out?: string;
  name?: string;
  force?: boolean;
  dryRun?: boolean;
  requirements?: string;
  patterns?: string[];
};

/** `scaffold <id>`: a starter CDK app for one catalog entry, tuned to a requirements file if given. */
export async function scaffold(id: string, options: ScaffoldCommandOptions, generator: string): Promise<void> {
  // the requirements reader (yaml, zod) loads only when a file is given
  const requirements = options.requirements === undefined ? undefined : await readRequirements(options.requirements);
  const catalog = await loadCatalog(options.patterns ?? []);
  process.stdout.write(scaffoldEntry(catalog, id, requirements, { ...options, generator }));
}

/**
 * What `scaffold <id>` does once the requirements (if any) are read: the app for the entry, tuned
 * to them, written to `out` (default ./<name>) or, with dryRun, listed; returns the files written
 * and the next steps.
 */
export function scaffoldEntry(
  catalog: Catalog,
  id: string,
  requirements: Requirements | undefined,
  options: { out?: string; name?: string; force?: boolean; dryRun?: boolean; generator: string },
): string {
  const name = options.name ?? requirements?.name ?? id;
  checkName(name);
  const pattern = findPattern(catalog, id);
  const built = buildScaffold(catalog, pattern, { name, generator: options.generator, derived: requirements ? settingsFor(pattern, requirements) : noSettings(), complements: [] });
  return writeScaffold(pattern, name, built.files, options.out ?? name, options);
}

async function readRequirements(file: string): Promise<Requirements> {
  const { draftRequirements, resolveRequirements } = await import("../requirements/draft.ts");
  return resolveRequirements(draftRequirements(file, {}));
}

export function checkName(name: string): void {
  if (!KEBAB_NAME.test(name) || name.length > 40)
    throw new UserError(`--name: expected kebab-case (lowercase letters, digits and single dashes, starting with a letter, at most 40 characters), found ${JSON.stringify(name)}`);
}

/** The settings an entry's app gets from requirements: derived once, knowing how many of its functions reserve concurrency. */
export function settingsFor(pattern: Pattern, requirements: Requirements): DerivedSettings {
  return deriveSettings(requirements, { reservedFunctions: pattern.scaffold?.reservedFunctions });
}

type BuildOptions = { name: string; generator: string; derived: DerivedSettings; complements: readonly ComplementReason[] };

/**
 * The files of an app for `pattern`, with the requirement-derived settings and the recommended
 * complements: a complement is composed into the app when its YAML offers a construct
 * (`scaffold.addon`) whose needs the primary's stack provides (`scaffold.provides`); otherwise the
 * README names it and says why, or how the settings already carry it (`scaffold.viaSettings`).
 */
export function buildScaffold(catalog: Catalog, pattern: Pattern, options: BuildOptions): { files: FileMap } {
  const cdk = join(templatesDir(), "cdk");
  const folder = (p: Pattern): TemplateFiles => readTemplateFolder(join(cdk, p.id));
  const own = folder(pattern);
  if (own.size === 0 || !pattern.scaffold) throw new UserError(`${pattern.id}: has no scaffold template (templates/cdk/${pattern.id}/)`);
  const provides = new Set(pattern.scaffold.provides);
  const addons: { pattern: Pattern; files: TemplateFiles; because: string }[] = [];
  const notComposed: { id: string; title: string; why: string }[] = [];
  for (const id of new Set(options.complements.map((c) => c.id))) {
    const complement = catalog.find((p) => p.id === id);
    if (!complement) continue;
    const because = options.complements.filter((c) => c.id === id).map((c) => c.says).join(" ");
    const addon = complement.scaffold?.addon;
    const lacking = addon?.needs.filter((part) => !provides.has(part)) ?? [];
    if (complement.scaffold?.viaSettings) notComposed.push({ id, title: complement.title, why: complement.scaffold.viaSettings });
    else if (!addon) notComposed.push({ id, title: complement.title, why: `${because} It is a whole architecture of its own rather than a part to add to this app.` });
    else if (lacking.length > 0)
      notComposed.push({ id, title: complement.title, why: `${because} Composing it needs the app's ${lacking.map((part) => HOST_PART_LABELS[part]).join(" and ")}, which the ${pattern.title} stack does not have.` });
    else addons.push({ pattern: complement, files: folder(complement), because });
  }
  const files = renderScaffold(pattern, readTemplateFolder(join(cdk, "_base")), own, scaffoldFacts(), { name: options.name, generator: options.generator, derived: options.derived, addons, notComposed }, readTemplateFolder(join(cdk, "_shared")));
  return { files };
}

/** Writes (or, with dryRun, lists) the files; returns what was written and what to do next. */
function writeScaffold(pattern: Pattern, name: string, files: FileMap, out: string, options: { force?: boolean; dryRun?: boolean }): string {
  if (options.dryRun) return `Would write ${files.size} files to ${out}:\n${[...files.keys()].map((f) => `  ${f}`).join("\n")}\n`;
  const result = writeFiles(out, files, { force: options.force === true });
  const shown = relative(process.cwd(), result.target) || ".";
  return (
    `Scaffolded ${pattern.title} (${pattern.id}) as ${name} in ${shown}: ${result.written.length} files` +
    (result.replaced.length > 0 ? `, ${result.replaced.length} replaced` : "") +
    `.\nNext:\n  cd ${shown}\n  npm install\n  npx cdk synth\n  npm test\n`
  );
}

/** For `advise --scaffold`: the recommendation's app, with the requirements applied. */
export function scaffoldAdvice(catalog: Catalog, requirements: Requirements, primary: string, complements: readonly ComplementReason[], out: string, options: { force?: boolean; generator: string }): void {
  checkName(requirements.name);
  const pattern = findPattern(catalog, primary);
  const built = buildScaffold(catalog, pattern, { name: requirements.name, generator: options.generator, derived: settingsFor(pattern, requirements), complements });
  process.stderr.write(writeScaffold(pattern, requirements.name, built.files, out, options));
}
