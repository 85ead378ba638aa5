import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { readDataFile, readTextFile, toProblems } from "../data-file.ts";
import { UserError, type Problem } from "../errors.ts";
import { KEBAB_NAME } from "../requirements/schema.ts";
import { GROUP_KINDS, type GroupKind } from "./values.ts";
import { parseSvgIcon, type CompiledIcons, type Icon } from "./icon-set.ts";

const color = z.string().regex(/^#[0-9A-Fa-f]{6}$/, "expected a colour such as #8C4FFF");
/** A file of the aws-icons package, under its icons/ folder, without .svg */
const iconKey = z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, "expected an aws-icons file such as architecture-service/AmazonRoute53");
/** An SVG file beside the table (an org's own icon) */
const iconFile = z.string().regex(/^[\w./-]+\.svg$/, "expected a relative path to an .svg file beside _icons.yaml");
const drawioName = z.string().regex(/^[a-z0-9_]+$/, "expected a draw.io aws4 shape name such as route_53");

const serviceEntry = z
  .strictObject({ icon: iconKey.optional(), file: iconFile.optional(), drawio: drawioName, color: color.optional() })
  .refine((s) => (s.icon === undefined) !== (s.file === undefined), "give either icon (an aws-icons file) or file (an SVG beside _icons.yaml)");

const groupEntry = z
  .strictObject({
    stroke: color,
    dark: color.optional(),
    fill: color.optional(),
    text: color,
    dashed: z.boolean().default(false),
    icon: iconKey.optional(),
    file: iconFile.optional(),
    drawio: drawioName.optional(),
  })
  .refine((g) => g.icon === undefined || g.file === undefined, "give icon or file, not both");

/** `_icons.yaml`: service id -> icon and draw.io shape; group kind -> its look. */
const serviceId = z.string().regex(KEBAB_NAME, "expected a service id (kebab-case)");

export const iconTableSchema = z.strictObject({
  services: z.record(serviceId, serviceEntry).default({}),
  groups: z.partialRecord(z.enum(GROUP_KINDS), groupEntry).default({}),
});

/**
 * Reads one `_icons.yaml` into a compiled table: each `icon:` key is looked up with `iconOf`, each
 * `file:` is read beside the table. Problems (unknown keys, unreadable or unsafe files) are pushed,
 * and the entries they concern left out.
 */
export function readIconTable(file: string, iconOf: (key: string) => Icon | undefined, problems: Problem[], missingIcon: string): CompiledIcons {
  const source = readDataFile(file);
  // every problem at once: the schema's, and those of the entries it accepts (files, icons)
  const parsed = iconTableSchema.safeParse(source.data);
  if (!parsed.success) problems.push(...toProblems(parsed.error.issues, source, iconTableSchema));
  const data = (source.data ?? {}) as Record<string, unknown>;
  const entries = <T>(key: string, schema: z.ZodType<T>, name: z.ZodType): [string, T][] => {
    const record = data[key];
    if (record === null || typeof record !== "object" || Array.isArray(record)) return [];
    return Object.entries(record).flatMap(([id, raw]) => {
      const entry = schema.safeParse(raw);
      return entry.success && name.safeParse(id).success ? [[id, entry.data] as [string, T]] : [];
    });
  };
  const compiled: CompiledIcons = { services: {}, groups: {}, icons: {} };
  const resolve = (entry: { icon?: string | undefined; file?: string | undefined }, path: (string | number)[]): string | undefined => {
    if (entry.icon !== undefined) {
      const icon = compiled.icons[entry.icon] ?? iconOf(entry.icon);
      if (icon === undefined) {
        problems.push({ file, path: [...path, "icon"], line: source.lineOf([...path, "icon"]), message: missingIcon });
        return undefined;
      }
      compiled.icons[entry.icon] = icon;
      return entry.icon;
    }
    if (entry.file === undefined) return undefined;
    const svgFile = resolvePath(dirname(file), entry.file);
    const key = `file:${svgFile}`;
    let parsedIcon: Icon | string;
    try {
      parsedIcon = compiled.icons[key] ?? parseSvgIcon(readTextFile(svgFile), `${svgFile.replace(/[^A-Za-z0-9]+/g, "-")}-`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      parsedIcon = error.message;
    }
    if (typeof parsedIcon === "string") {
      problems.push({ file, path: [...path, "file"], line: source.lineOf([...path, "file"]), message: `${entry.file} ${parsedIcon.replace(`${svgFile}: `, "")}` });
      return undefined;
    }
    compiled.icons[key] = parsedIcon;
    return key;
  };
  for (const [id, entry] of entries("services", serviceEntry, serviceId)) {
    const key = resolve(entry, ["services", id]);
    if (key === undefined) continue;
    const color = entry.color ?? compiled.icons[key]!.color;
    if (color === undefined) {
      problems.push({ file, path: ["services", id], line: source.lineOf(["services", id]), message: "the icon has no background tile to take the draw.io colour from; give color" });
      continue;
    }
    compiled.services[id] = { icon: key, drawio: entry.drawio, color };
  }
  for (const [kind, entry] of entries("groups", groupEntry, z.enum(GROUP_KINDS)) as [GroupKind, z.output<typeof groupEntry>][]) {
    const key = entry.icon !== undefined || entry.file !== undefined ? resolve(entry, ["groups", kind]) : undefined;
    if ((entry.icon !== undefined || entry.file !== undefined) && key === undefined) continue;
    const { icon: _icon, file: _file, ...look } = entry;
    compiled.groups[kind] = { ...look, ...(key !== undefined ? { icon: key } : {}) };
  }
  return compiled;
}
