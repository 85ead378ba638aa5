import type { NagPack, Pattern } from "../catalog/schema.ts";
import { createRenderer, pascalCase } from "./handlebars.ts";
import type { ScaffoldFacts } from "./scaffold-facts.ts";
import type { TemplateFiles } from "./templates.ts";

/** Generated files: relative path -> content, in a stable order. */
export type FileMap = ReadonlyMap<string, string>;

export type ScaffoldOptions = {
  /** kebab-case app name, already validated */
  name: string;
  /** the aws-patterns version that generated the app */
  generator: string;
  /** packs to run besides AwsSolutionsChecks (the entry's own plus any the requirements add) */
  extraNagPacks?: readonly NagPack[];
};

/**
 * Renders the shared base plus the entry's own template folder into a FileMap. Pure: templates and
 * facts come in, files come out. A file ending in `.hbs` is rendered (the suffix dropped); others are
 * copied as they are. `__name__` in a path becomes the app name; a file called `gitignore` becomes
 * `.gitignore` (npm would drop a real one from the published package). A top-level file of the
 * entry's folder whose name starts with `_` is a part: rendered, not written, and offered to the
 * base templates as `parts.<name>` (`_readme.md.hbs` -> `parts.readme`). An `_include` file lists, one
 * per line, files of the shared folder (templates/cdk/_shared) that the entry's app also gets.
 */
export function renderScaffold(
  pattern: Pattern,
  base: TemplateFiles,
  own: TemplateFiles,
  facts: ScaffoldFacts,
  options: ScaffoldOptions,
  shared: TemplateFiles = new Map(),
): FileMap {
  const render = createRenderer();
  const packs = unique(["AwsSolutionsChecks", ...(pattern.scaffold?.nagPacks ?? []), ...(options.extraNagPacks ?? [])]);
  const context = {
    name: options.name,
    pascalName: pascalCase(options.name),
    stackClass: `${pascalCase(options.name)}Stack`,
    generator: options.generator,
    pattern: { id: pattern.id, title: pattern.title, summary: pattern.summary, services: pattern.services },
    nagPacks: packs,
    versions: facts.versions,
    featureFlags: facts.featureFlags,
  };
  const included = (own.get("_include") ?? "").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const missing = included.filter((path) => !shared.has(path));
  if (missing.length > 0) throw new Error(`templates/cdk/${pattern.id}/_include names files not in templates/cdk/_shared: ${missing.join(", ")}`);
  const parts: Record<string, string> = {};
  for (const [path, text] of own) {
    if (!path.startsWith("_") || path.includes("/") || path === "_include") continue;
    parts[path.slice(1).replace(/\..*$/, "")] = path.endsWith(".hbs") ? render(text, context, path) : text;
  }
  const withParts = { ...context, parts };
  const files = new Map<string, string>();
  const ownFiles = [...own].filter(([p]) => !(p.startsWith("_") && !p.includes("/")));
  const sharedFiles = included.map((path) => [path, shared.get(path)!] as const);
  for (const [path, text] of [...base, ...sharedFiles, ...ownFiles]) {
    const target = path
      .replace(/\.hbs$/, "")
      .replace(/__name__/g, options.name)
      .replace(/(^|\/)gitignore$/, "$1.gitignore");
    files.set(target, path.endsWith(".hbs") ? render(text, withParts, path) : text);
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
