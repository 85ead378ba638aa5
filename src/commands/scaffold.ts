import { join, relative } from "node:path";
import { loadCatalog } from "../catalog/load.ts";
import { UserError } from "../errors.ts";
import { writeFiles } from "../output/write-files.ts";
import { renderScaffold } from "../render/scaffold.ts";
import { scaffoldFacts } from "../render/scaffold-facts.ts";
import { readTemplateFolder, templatesDir } from "../render/templates.ts";
import { KEBAB_NAME } from "../requirements/values.ts";
import { findPattern } from "./show.ts";

export type ScaffoldCommandOptions = { out?: string; name?: string; force?: boolean; dryRun?: boolean; patterns?: string[] };

/** `scaffold <id>`: a starter CDK app for one catalog entry. */
export async function scaffold(id: string, options: ScaffoldCommandOptions, generator: string): Promise<void> {
  const name = options.name ?? id;
  if (!KEBAB_NAME.test(name) || name.length > 40)
    throw new UserError(`--name: expected kebab-case (lowercase letters, digits and single dashes, starting with a letter, at most 40 characters), found ${JSON.stringify(name)}`);
  const catalog = await loadCatalog(options.patterns ?? []);
  const pattern = findPattern(catalog, id);
  const own = readTemplateFolder(join(templatesDir(), "cdk", pattern.id));
  if (own.size === 0) throw new UserError(`${pattern.id}: has no scaffold template yet (templates/cdk/${pattern.id}/)`);
  const cdk = join(templatesDir(), "cdk");
  const files = renderScaffold(pattern, readTemplateFolder(join(cdk, "_base")), own, scaffoldFacts(), { name, generator }, readTemplateFolder(join(cdk, "_shared")));
  const out = options.out ?? name;
  if (options.dryRun) {
    process.stdout.write(`Would write ${files.size} files to ${out}:\n${[...files.keys()].map((f) => `  ${f}`).join("\n")}\n`);
    return;
  }
  const result = writeFiles(out, files, { force: options.force === true });
  const shown = relative(process.cwd(), result.target) || ".";
  process.stdout.write(
    `Scaffolded ${pattern.title} (${pattern.id}) as ${name} in ${shown}: ${result.written.length} files` +
      (result.replaced.length > 0 ? `, ${result.replaced.length} replaced` : "") +
      `.\nNext:\n  cd ${shown}\n  npm install\n  npx cdk synth\n  npm test\n`,
  );
}
