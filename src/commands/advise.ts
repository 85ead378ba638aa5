import { loadCatalog } from "../catalog/load.ts";
import type { Catalog } from "../catalog/schema.ts";
import { UserError } from "../errors.ts";
import { basename, join } from "node:path";
import type { OwnedFile } from "../output/write-pictures.ts";
import { composeDiagram } from "../render/diagram.ts";
import type { PictureFormat } from "../render/picture.ts";
import { writeFileAtomic } from "../output/write-file.ts";
import { listAssumptions } from "../requirements/basis.ts";
import { assessRequirements, draftRequirements, type Draft, type FlagValues } from "../requirements/draft.ts";
import { summaryRows } from "../requirements/summary.ts";
import { DEFAULT_SAVE_FILE, nextCommands } from "../requirements/next-steps.ts";
import { adviseOn, type Advice } from "../scoring/advice.ts";

export const ADVISE_FORMATS = ["text", "json", "md", "svg", "drawio"] as const;
/** What `--diagrams` writes beside a design document written to a file. */
export const DIAGRAM_CHOICES = ["none", "svg", "drawio", "all"] as const;
/** Without --diagrams, a design document written to a file gets its SVG picture beside it. */
const DEFAULT_DIAGRAMS = "svg";
export type AdviseOptions = FlagValues & {
  requirements?: string;
  format?: string;
  out?: string;
  input?: boolean;
  color?: boolean;
  patterns?: string[];
  scaffold?: string;
  force?: boolean;
  save?: string;
  verbose?: boolean;
  diagrams?: string;
};

/** `advise`: requirements from file, flags and (on a terminal) prompts -> ranking -> report or JSON. */
export async function advise(options: AdviseOptions, generator: string): Promise<void> {
  // a terminal gets the report; a pipe, a file or CI gets the design document
  const format = options.format ?? (options.out === undefined && process.stdout.isTTY === true ? "text" : "md");
  if (!(ADVISE_FORMATS as readonly string[]).includes(format))
    throw new UserError(`--format: expected one of ${ADVISE_FORMATS.join(", ")}, found ${JSON.stringify(format)}`);
  if (options.force === true && options.scaffold === undefined) throw new UserError("--force only applies with --scaffold DIR");
  if (options.out !== undefined && format === "text") throw new UserError("--out writes the design document (md), JSON or a picture (svg, drawio); --format text is for the terminal");
  if (options.diagrams !== undefined && !(DIAGRAM_CHOICES as readonly string[]).includes(options.diagrams))
    throw new UserError(`--diagrams: expected one of ${DIAGRAM_CHOICES.join(", ")}, found ${JSON.stringify(options.diagrams)}`);
  if (options.diagrams !== undefined && (format !== "md" || options.out === undefined))
    throw new UserError("--diagrams writes pictures beside the design document, so it needs --out FILE with the document (md)");
  let draft = draftRequirements(options.requirements, options);
  const catalog = await loadCatalog(options.patterns ?? []);
  let save = options.save;
  let asked = false;
  if (options.input !== false && process.stdin.isTTY === true) {
    await checkGivenFields(draft);
    const { askRequirements, askSaveFile } = await import("../requirements/ask.ts");
    const { formatTable } = await import("../render/style.ts");
    const before = JSON.stringify(draft.data);
    draft = await askRequirements(draft, (data) => ["Summary", ...formatTable(summaryRows(data))].join("\n"));
    asked = JSON.stringify(draft.data) !== before;
    // the answers exist nowhere else: offer to keep them
    if (save === undefined && asked) save = await askSaveFile(DEFAULT_SAVE_FILE);
  }
  for (const notice of draft.notices) process.stderr.write(`aws-patterns: ${notice}\n`);
  const assessed = await assessRequirements(draft);
  const { requirements } = assessed;
  const advice = adviseOn(catalog, assessed);
  // --out DIR/: the next numbered decision record, superseding the one in force for this system when the decision differs
  let outFile = options.out;
  let logged: { number: string; supersedes: { file: string; number: string }[] } | undefined;
  if (options.out !== undefined && format === "md") {
    const { isLogFolder, nextRecordPath, recordsInForce } = await import("../output/adr-log.ts");
    if (isLogFolder(options.out)) {
      const { path, number } = nextRecordPath(options.out, requirements.name);
      const rec = advice.recommendation;
      const differs = (r: { primary: string; complements: string[] }) => r.primary !== rec.primary || [...r.complements].sort().join() !== [...rec.complements].sort().join();
      logged = { number, supersedes: recordsInForce(options.out, requirements.name).filter(differs) };
      outFile = path;
    }
  }
  // the file that reproduces these requirements, for the next-step commands
  const reproducing =
    save ?? (outFile !== undefined && format === "md" ? outFile : options.requirements !== undefined && draft.fromFlags.size === 0 && !asked ? options.requirements : undefined);
  const next = nextCommands({ file: reproducing, stated: assessed.basis.statedData }, requirements.name);
  // the pictures beside a document written to a file: rendered first, so the document can show one
  const beside = format === "md" && outFile !== undefined ? await renderBeside(advice, catalog, options.patterns ?? [], outFile, options.diagrams ?? DEFAULT_DIAGRAMS) : [];
  const picture = beside.find((f) => f.path.endsWith(".svg"));
  const output =
    format === "json"
      ? adviceJson(advice)
      : format === "md"
        ? await renderDocument(advice, catalog, generator, next, outFile, picture && basename(picture.path))
        : format === "svg" || format === "drawio"
          ? await renderDesignPicture(advice, catalog, options.patterns ?? [], format)
          : await renderTerminalReport(advice, catalog, options.color !== false, next, options.verbose === true);
  if (beside.length > 0) {
    // every refusal before anything is written: a picture someone else made, a folder where a file goes
    const { checkOwnedFiles } = await import("../output/write-pictures.ts");
    checkOwnedFiles([...beside, { path: outFile!, content: output, marker: "" }]);
  }
  if (save !== undefined) {
    const { saveRequirements } = await import("../requirements/save.ts");
    saveRequirements(save, assessed.basis.statedData, generator);
    process.stderr.write(`Saved the requirements to ${save}\n`);
  }
  if (options.scaffold !== undefined) {
    // the app first: a refused target (not empty, no --force) must not leave a document behind
    const { scaffoldAdvice } = await import("./scaffold.ts");
    const { primary, because } = advice.recommendation;
    scaffoldAdvice(catalog, requirements, primary, because, options.scaffold, { force: options.force, generator });
  }
  if (options.out === undefined) {
    process.stdout.write(output);
    return;
  }
  if (beside.length > 0) {
    // the pictures before the document, so the document never names a picture not yet there
    const { writeOwnedFiles } = await import("../output/write-pictures.ts");
    writeOwnedFiles(beside);
    process.stderr.write(`Wrote ${beside.map((f) => f.path).join(" and ")}\n`);
  }
  if (logged) {
    const { supersede } = await import("../output/adr-log.ts");
    writeFileAtomic(outFile!, logged.supersedes.length > 0 ? output.replace(/\n(# .*)\n/, `\n$1\n\nSupersedes ${logged.supersedes.map((s) => `[${s.number}](${basename(s.file)})`).join(", ")}.\n`) : output);
    for (const old of logged.supersedes) supersede(old.file, logged.number);
    process.stderr.write(`Wrote decision record ${outFile}${logged.supersedes.length > 0 ? `, superseding ${logged.supersedes.map((s) => basename(s.file)).join(", ")}` : ""}\n`);
    if (process.stdout.isTTY) process.stdout.write(await renderTerminalReport(advice, catalog, options.color !== false, next, options.verbose === true));
    return;
  }
  writeFileAtomic(options.out, output);
  if (process.stdout.isTTY) process.stdout.write(await renderTerminalReport(advice, catalog, options.color !== false, next, options.verbose === true));
  process.stderr.write(`Wrote the ${format === "json" ? "JSON advice" : format === "md" ? "design document" : "architecture picture"} to ${options.out}\n`);
}

/** The composed design (primary plus complements) and the title its pictures carry. */
function designOf(advice: Advice, catalog: Catalog) {
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const primary = byId.get(advice.recommendation.primary)!;
  const complements = advice.recommendation.complements.map((id) => byId.get(id)!);
  const title = `${advice.requirements.name}: ${primary.title}${complements.length > 0 ? ` with ${complements.map((c) => c.title).join(", ")}` : ""}`;
  return { diagram: composeDiagram(primary, complements), title };
}

/** The composed design as one picture (stdout or --out). */
async function renderDesignPicture(advice: Advice, catalog: Catalog, patterns: readonly string[], format: PictureFormat): Promise<string> {
  const { diagram, title } = designOf(advice, catalog);
  const { drawPictures } = await import("./picture.ts");
  return (await drawPictures(diagram, title, patterns, [format])).get(format)!;
}

/** The pictures `--diagrams` asks for beside a document at `docPath` (doc.md -> doc.svg, doc.drawio). */
async function renderBeside(advice: Advice, catalog: Catalog, patterns: readonly string[], docPath: string, choice: string): Promise<OwnedFile[]> {
  const formats: PictureFormat[] = choice === "all" ? ["svg", "drawio"] : choice === "svg" || choice === "drawio" ? [choice] : [];
  if (formats.length === 0) return [];
  const { diagram, title } = designOf(advice, catalog);
  const [{ drawPictures }, { SVG_GENERATOR }, { DRAWIO_GENERATOR }] = await Promise.all([import("./picture.ts"), import("../render/svg.ts"), import("../render/drawio.ts")]);
  const stem = docPath.replace(/\.(md|markdown)$/i, "");
  return [...(await drawPictures(diagram, title, patterns, formats))].map(([format, content]) => ({
    path: `${stem}.${format}`,
    content,
    marker: format === "svg" ? SVG_GENERATOR : DRAWIO_GENERATOR,
  }));
}

/**
 * `advise` with no prompt, file or flag, for requirements already drafted (the MCP tool's): the
 * JSON that `--format json` prints and, when asked, the design document that `--format md` prints.
 */
export async function adviseDraft(draft: Draft, catalog: Catalog, generator: string, document: boolean): Promise<{ json: string; document?: string }> {
  const assessed = await assessRequirements(draft);
  const advice = adviseOn(catalog, assessed);
  if (!document) return { json: adviceJson(advice) };
  const next = nextCommands({ stated: assessed.basis.statedData }, assessed.requirements.name);
  return { json: adviceJson(advice), document: await renderDocument(advice, catalog, generator, next) };
}

/** What `advise --format json` prints. */
export function adviceJson(advice: Advice): string {
  return `${JSON.stringify(toJson(advice), null, 2)}\n`;
}

/** The design document; Handlebars and the templates are loaded only for it. */
async function renderDocument(advice: Advice, catalog: Catalog, generator: string, next: string[], recordPath?: string, picture?: string): Promise<string> {
  const [{ buildDesignDoc, renderDesignDoc }, { readTemplateFolder, templatesDir }] = await Promise.all([import("../render/design-doc.ts"), import("../render/templates.ts")]);
  const options = { date: today(), generator, next, ...(recordPath ? { recordPath } : {}), ...(picture ? { picture } : {}) };
  return renderDesignDoc(buildDesignDoc(advice, catalog, options), readTemplateFolder(join(templatesDir(), "design-doc")));
}

/** The terminal report; chalk is loaded only for it. */
async function renderTerminalReport(advice: Advice, catalog: Catalog, color: boolean, next: string[], verbose = false): Promise<string> {
  const [{ renderReport }, { makeStyle }] = await Promise.all([import("../render/report.ts"), import("../render/style.ts")]);
  // the terminal's width, or COLUMNS, or 80 when neither is known
  const width = process.stdout.columns || Number(process.env.COLUMNS) || 80;
  return renderReport(advice, catalog, makeStyle(process.stdout, color), next, Math.max(40, width), verbose);
}

/** Today in UTC, as the document's date. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Before asking anything, the fields already given must be valid: report them now, not after the prompts. */
async function checkGivenFields(draft: Draft): Promise<void> {
  const { finishRequirements } = await import("../requirements/resolve.ts");
  const data = { ...draft.data };
  if (data.workload === undefined) data.workload = ["api"];
  finishRequirements({ ...draft, data });
}

/**
 * The contract's JSON: schemaVersion 1, normalized requirements (defaults and derived values filled
 * in), what was stated apart from what was assumed, the recommendation with its fit and
 * sensitivity, and the full ranking.
 */
export function toJson(advice: Advice) {
  return {
    schemaVersion: 1,
    requirements: advice.requirements,
    stated: advice.assessed.basis.statedData,
    assumptions: listAssumptions(advice.assessed),
    recommendation: advice.recommendation,
    verdicts: advice.verdicts.map(({ on, target, achieves, primary, composed, by, reason }) => ({ on, target, achieves, primary, composed, ...(by ? { by } : {}), says: reason })),
    ranking: advice.ranking.map((e) => ({
      id: e.id,
      title: e.title,
      kind: e.kind,
      score: e.score,
      reasons: e.reasons,
      unmet: e.unmet,
      cost: e.cost,
    })),
  };
}
