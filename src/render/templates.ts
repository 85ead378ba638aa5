import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { builtinPatternsDir, isDirectory } from "../catalog/load.ts";

/** Template files of one folder: relative path (with `/`) -> text. */
export type TemplateFiles = ReadonlyMap<string, string>;

/** The shipped `templates/` folder, beside `patterns/`. */
export function templatesDir(): string {
  return join(builtinPatternsDir(), "..", "templates");
}

/** Every file below a folder, read once; an absent folder reads as no files. */
export function readTemplateFolder(dir: string): TemplateFiles {
  const files = new Map<string, string>();
  if (!isDirectory(dir)) return files;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(dir, path).split("\\").join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}
