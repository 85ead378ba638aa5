import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runInThisContext } from "node:vm";
import { brotliDecompressSync } from "node:zlib";
import { builtinPatternsDir, isDirectory } from "../catalog/load.ts";
import type { Template } from "./handlebars.ts";

/** Set by the build: the folder, next to the bundle, of templates precompiled at build time. */
declare const __PRECOMPILED_TEMPLATES__: string | undefined;

/** Template files of one folder: relative path (with `/`) -> text, or for a `.hbs` file in the built CLI its precompiled spec. */
export type TemplateFiles = ReadonlyMap<string, Template>;

/** The shipped `templates/` folder, beside `patterns/`. */
export function templatesDir(): string {
  return join(builtinPatternsDir(), "..", "templates");
}

/**
 * The template folder a file of templates/ belongs to, as the commands read them: `design-doc`,
 * or `cdk/<entry>` (and `cdk/_base`, `cdk/_shared`). The build precompiles each folder's `.hbs`
 * files into one module.
 */
export function templateFolderOf(path: string): string {
  const [first, second] = path.split("/");
  return first === "cdk" && second !== undefined ? `cdk/${second}` : first!;
}

/**
 * Every file below a template folder, read once; an absent folder reads as no files. In the built
 * CLI the `.hbs` files come precompiled from the build's module for the folder (the package ships
 * no `.hbs` text), the other files from the folder itself.
 */
export function readTemplateFolder(dir: string): TemplateFiles {
  const files = new Map<string, Template>();
  const precompiled = precompiledFolder(dir);
  if (isDirectory(dir)) {
    const walk = (current: string) => {
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && !(precompiled && entry.name.endsWith(".hbs"))) files.set(relative(dir, path).split("\\").join("/"), readFileSync(path, "utf8"));
      }
    };
    walk(dir);
  }
  for (const [path, spec] of Object.entries(precompiled ?? {})) files.set(path, spec);
  // in the order of a walk through names sorted at every level, whichever source a file came from
  return new Map([...files].sort(([a], [b]) => compareSegments(a.split("/"), b.split("/"))));
}

function compareSegments(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** The build's precompiled `.hbs` files of a template folder; undefined when running from source. */
function precompiledFolder(dir: string): Record<string, TemplateSpecification> | undefined {
  if (typeof __PRECOMPILED_TEMPLATES__ !== "string") return undefined;
  const folder = relative(templatesDir(), dir).split("\\").join("/");
  const file = fileURLToPath(new URL(`./${__PRECOMPILED_TEMPLATES__}/${folder}.cjs.br`, import.meta.url));
  let code: string;
  try {
    code = brotliDecompressSync(readFileSync(file)).toString("utf8");
  } catch (error) {
    // a folder the build did not know has nothing precompiled
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  // the build's own CommonJS module (brotli-compressed to keep the package small), run as require would
  const module = { exports: {} as Record<string, TemplateSpecification> };
  (runInThisContext(`(function (module, exports) {${code}\n})`, { filename: file }) as (m: typeof module, e: object) => void)(module, module.exports);
  return module.exports;
}
