import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem, InternalError, UserError, type Problem } from "../errors.ts";
import { ICON_TABLE_FILE, iconSetOf, parseSvgIcon, type CompiledIcons, type Icon, type IconSet } from "./icon-set.ts";
import { builtinPatternsDir, isDirectory } from "./load.ts";

/** Set by the build: the file, next to the bundle, holding the built-in icon table and the icons it uses. */
declare const __COMPILED_ICONS__: string | undefined;

/** Said when a table names a file the aws-icons package does not have. */
export const NOT_IN_PACKAGE = "no such file in the aws-icons package";
/** Said when an org's table names an aws-icons file the installed aws-patterns does not carry. */
const NOT_SHIPPED = "aws-patterns ships only the icons its own catalog uses, and this is not one of them; give file: an SVG file beside _icons.yaml instead";

/**
 * The icons pictures are drawn with: the built-in table, then each extra folder's `_icons.yaml`
 * (a folder without one adds nothing), later tables winning by service id and group kind. The
 * built CLI reads the built-in table and its icons from JSON written at build time; YAML, the
 * schema and the aws-icons package are read only from source or for extra folders. Every problem
 * in every table is reported at once in one UserError.
 */
export async function loadIcons(extraDirs: readonly string[] = []): Promise<IconSet> {
  const compiled = typeof __COMPILED_ICONS__ === "string" ? __COMPILED_ICONS__ : undefined;
  const problems: Problem[] = [];
  const tables: CompiledIcons[] = [];
  const extraTables = extraDirs.map((dir) => join(dir, ICON_TABLE_FILE)).filter((file) => isDirectory(dirname(file)) && existsSync(file));
  let shipped: (key: string) => Icon | undefined;
  if (compiled !== undefined) {
    const builtin = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), compiled), "utf8")) as CompiledIcons;
    tables.push(builtin);
    shipped = (key) => builtin.icons[key];
  } else {
    const { readIconTable } = await import("./icon-table.ts");
    shipped = iconFromPackage;
    tables.push(readIconTable(join(builtinPatternsDir(), ICON_TABLE_FILE), shipped, problems, NOT_IN_PACKAGE));
  }
  if (extraTables.length > 0) {
    const { readIconTable } = await import("./icon-table.ts");
    for (const file of extraTables) tables.push(readIconTable(file, shipped, problems, compiled === undefined ? NOT_IN_PACKAGE : NOT_SHIPPED));
  }
  if (problems.length > 0) throw new UserError([`the icon table has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`, ...problems.map(formatProblem)]);
  const { set, missingGroups } = iconSetOf(tables);
  if (missingGroups.length > 0) throw new InternalError(`the built-in icon table draws no group of kind ${missingGroups.join(", ")}`);
  return set;
}

/**
 * An icon of the aws-icons package (a development dependency: read from source and by the build,
 * never by the installed CLI), its ids prefixed with its own name so icons never share one.
 */
export function iconFromPackage(key: string): Icon | undefined {
  const root = dirname(createRequire(import.meta.url).resolve("aws-icons/package.json"));
  const file = join(root, "icons", `${key}.svg`);
  if (!existsSync(file)) return undefined;
  return parseIconText(readFileSync(file, "utf8"), key);
}

function parseIconText(text: string, key: string): Icon {
  const icon = parseSvgIcon(text, `${key.replace(/[^A-Za-z0-9]+/g, "-")}-`);
  if (typeof icon === "string") throw new InternalError(`aws-icons ${key}.svg ${icon}`);
  return icon;
}
