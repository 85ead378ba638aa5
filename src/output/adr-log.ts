import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readTextFile } from "../data-file.ts";
import { readRecord, RECORD_KEY } from "../requirements/record.ts";
import { writeFileAtomic } from "./write-file.ts";

/** A folder given to `--out`: it ends in a slash, or it exists as a folder. */
export function isLogFolder(out: string): boolean {
  return out.endsWith("/") || (existsSync(out) && statSync(out).isDirectory());
}

type InForce = { file: string; number: string; primary: string; complements: string[] };

/** The next number after the highest `NNNN-*.md` in the folder, as adr-tools and log4brains number them. */
export function nextRecordPath(dir: string, name: string): { path: string; number: string } {
  const numbers = existsSync(dir) ? readdirSync(dir).map((f) => /^(\d{4})-.*\.md$/.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number) : [];
  const number = String(Math.max(0, ...numbers) + 1).padStart(4, "0");
  return { path: join(dir, `${number}-${name}.md`), number };
}

/** Records in force (not superseded) for the system `name` in the folder. */
export function recordsInForce(dir: string, name: string): InForce[] {
  if (!existsSync(dir)) return [];
  const out: InForce[] = [];
  for (const file of readdirSync(dir).filter((f) => /^\d{4}-.*\.md$/.test(f)).sort()) {
    try {
      const record = readRecord(join(dir, file));
      const data = record.data[RECORD_KEY] as { primary?: string; complements?: string[]; stated?: { name?: string }; requirements?: { name?: string } } | undefined;
      if (!data || String(record.data.status ?? "").startsWith("superseded")) continue;
      if ((data.requirements?.name ?? data.stated?.name) !== name) continue;
      out.push({ file: join(dir, file), number: file.slice(0, 4), primary: String(data.primary), complements: (data.complements ?? []).map(String) });
    } catch {
      // a Markdown file that is not a record of ours is none of our business
    }
  }
  return out;
}

/** Marks a record superseded: only its status line changes, written atomically. */
export function supersede(file: string, by: string): void {
  const text = readTextFile(file);
  const changed = text.replace(/^status: .*$/m, `status: superseded by ${by}`);
  writeFileAtomic(file, changed);
}
