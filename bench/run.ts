// `npm run bench`: times the built CLI against its baselines in one run and writes bench/RESULTS.md.
//
//   tsx bench/run.ts [--runs N] [--warmup N] [--scaffold ID] [--only a,b] [--out FILE] [--strict]
//
// Every command runs as a fresh process (spawnSync), the runs of a group interleaved round-robin so
// that a noisy neighbour slows the command and its baseline alike. Medians are compared within the
// same run; min and p90 show the spread. With --strict the exit code is 1 when a target is missed.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from "node:os";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "bin", "aws-patterns.js");
const CDK = join(ROOT, "node_modules", "aws-cdk", "bin", "cdk");
const EXAMPLE = join(ROOT, "examples", "high-traffic-ecommerce.yaml");
const ADVISE = ["advise", "--requirements", EXAMPLE, "--no-input"];
/** An MCP client's first request; `mcp` answers it, sees stdin end, and exits. */
const MCP_INITIALIZE = `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } } })}\n`;
/** The entries whose pictures are timed: a typical one, and the largest graph (15 nodes, 17 edges, 2 groups). */
const PICTURE = "high-traffic-ecommerce";
const LARGEST_PICTURE = "genai-rag";
const CATALOG_SIZES = [250, 500, 1000] as const;
const MB = 1000 * 1000;
const SECTIONS = ["advise", "scaffold", "catalog", "package"] as const;

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "25" },
    warmup: { type: "string", default: "3" },
    scaffold: { type: "string", default: "serverless" },
    only: { type: "string", default: SECTIONS.join(",") },
    out: { type: "string", default: join(ROOT, "bench", "RESULTS.md") },
    strict: { type: "boolean", default: false },
  },
});
const RUNS = Number(args.runs);
const WARMUP = Number(args.warmup);
const only = new Set(args.only.split(","));

type Stats = { runs: number; median: number; min: number; p90: number };
type Row = { what: string; stats?: Stats; value?: string; ratio?: string; target: string; pass: boolean | undefined };
/** One command to time; `prepare` runs before each run, outside the timing (a fresh folder, say); `input` is written to its stdin, which then closes. */
type Job = { label: string; prepare?: (run: number) => { argv: string[]; cwd?: string }; argv?: string[]; cwd?: string; env?: NodeJS.ProcessEnv; okCodes?: number[]; input?: string };

const work = mkdtempSync(join(tmpdir(), "aws-patterns-bench-"));
const rows: Row[] = [];
const notes: string[] = [];
const load = { start: loadavg(), end: [0, 0, 0] };

try {
  if (!existsSync(join(ROOT, "dist", "main.js"))) fail("dist/main.js is missing: run `npm run build` first (npm run bench does)");
  if (only.has("advise")) benchAdvise();
  if (only.has("scaffold")) benchScaffold();
  if (only.has("catalog")) benchCatalog();
  if (only.has("package")) benchPackage();
} finally {
  rmSync(work, { recursive: true, force: true });
}
load.end = loadavg();

const report = renderResults();
writeFileSync(args.out, report);
printSummary();
if (args.strict && rows.some((r) => r.pass === false)) process.exitCode = 1;

// ---------------------------------------------------------------------------------------------

function benchAdvise(): void {
  const docFile = join(work, "design.md");
  const group = (env: NodeJS.ProcessEnv | undefined): Job[] => [
    { label: "node -e 0", env, argv: [process.execPath, "-e", "0"] },
    { label: "advise --format json", env, argv: [process.execPath, CLI, ...ADVISE, "--format", "json"] },
    // the document as written by default: with its SVG picture beside it
    { label: "advise --format md --out FILE", env, argv: [process.execPath, CLI, ...ADVISE, "--format", "md", "--out", docFile] },
    { label: "init FILE --force", env, argv: [process.execPath, CLI, "init", join(work, "requirements.yaml"), "--force"] },
    // a recorded decision checked against a cloud assembly with a nested stack (read as JSON; no aws-cdk-lib)
    { label: "verify ADR --assembly DIR", env, argv: [process.execPath, CLI, "verify", "--assembly", "test/fixtures/verify/assembly", "-r", "test/fixtures/verify/requirements.yaml", "--format", "json"], okCodes: [0, 3] },
    // the MCP server from start to its answer to initialize (the SDK loads with it), then the end of stdin
    { label: "mcp (initialize)", env, argv: [process.execPath, CLI, "mcp"], input: MCP_INITIALIZE },
    // pictures: loading the layout engine and the icons, laying out, drawing
    { label: "show ID --format svg", env, argv: [process.execPath, CLI, "show", PICTURE, "--format", "svg"] },
    { label: "show LARGEST --format svg", env, argv: [process.execPath, CLI, "show", LARGEST_PICTURE, "--format", "svg"] },
    { label: "advise --format md --out FILE --diagrams none", env, argv: [process.execPath, CLI, ...ADVISE, "--format", "md", "--out", join(work, "bare.md"), "--diagrams", "none"] },
  ];
  const [floor, json, md, init, verify, mcp, svg, largest, bare] = timeJobs(group(undefined), RUNS, WARMUP);
  rows.push({ what: "`node -e 0` (the floor)", stats: floor, target: "", pass: undefined });
  rows.push(ratioRow("`advise --format json`", json!, floor!, 2.0));
  rows.push(ratioRow("`advise --format md --out FILE` (design document and its SVG picture)", md!, floor!, 2.5));
  rows.push(info(ratioRow("`advise --format md --out FILE --diagrams none` (the document alone)", bare!, floor!, 2.5)));
  rows.push(ratioRow("`init FILE` (commented requirements file)", init!, floor!, 2.5));
  rows.push(ratioRow("`verify --assembly DIR` vs `advise --format json`", verify!, json!, 2.0));
  rows.push(ratioRow("`mcp` to its initialize response", mcp!, floor!, 2.0));
  rows.push(ratioRow(`\`show ${PICTURE} --format svg\` (picture: layout and icons)`, svg!, floor!, 3.0));
  rows.push(ratioRow(`\`show ${LARGEST_PICTURE} --format svg\` (the largest layout)`, largest!, floor!, 3.0));
  // NODE_EXTRA_CA_CERTS makes every node process parse the CA bundle before running any script,
  // which lifts the floor; where it is set, the same group runs again without it, for information.
  const clean = withoutExtraCerts();
  if (clean) {
    const [cleanFloor, cleanJson, cleanMd, , , cleanMcp] = timeJobs(group(clean), RUNS, WARMUP);
    rows.push({ what: "`node -e 0` without NODE_EXTRA_CA_CERTS", stats: cleanFloor, target: "", pass: undefined });
    rows.push(info(ratioRow("`advise --format json` without NODE_EXTRA_CA_CERTS", cleanJson!, cleanFloor!, 2.0)));
    rows.push(info(ratioRow("`advise --format md --out FILE` without NODE_EXTRA_CA_CERTS", cleanMd!, cleanFloor!, 2.5)));
    rows.push(info(ratioRow("`mcp` to its initialize response without NODE_EXTRA_CA_CERTS", cleanMcp!, cleanFloor!, 2.0)));
    notes.push(
      "The floor is `node -e 0` as this machine runs node, with NODE_EXTRA_CA_CERTS set (so CI too): every node process, " +
        "the floor, the CDK CLI and aws-patterns alike, first parses that CA bundle, which adds the same few tens of milliseconds to each. " +
        "The rows marked \"without NODE_EXTRA_CA_CERTS\" run the same commands with it unset, for information: their targets are in brackets and not judged. " +
        "Against that lower floor the advise ratios are higher, because the fixed cost of Node's ES module loader and of compiling the bundle weighs more; see the closing note of issue 7.",
    );
  }
}

function benchScaffold(): void {
  const id = scaffoldId(args.scaffold, "serverless-image-processing");
  const fresh = (prefix: string, run: number) => {
    const dir = join(work, `${prefix}-${run}`, "app");
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const cdkRuns = Math.max(5, Math.min(RUNS, 9));
  const group = (env: NodeJS.ProcessEnv, tag: string): Job[] => [
    {
      label: "cdk init app --language typescript --generate-only",
      env: { ...env, CDK_DISABLE_CLI_TELEMETRY: "true", CDK_DISABLE_VERSION_CHECK: "1" },
      prepare: (run) => ({ argv: [process.execPath, CDK, "init", "app", "--language", "typescript", "--generate-only", "--no-notices"], cwd: fresh(`cdk${tag}`, run) }),
    },
    { label: `scaffold ${id}`, env, prepare: (run) => ({ argv: [process.execPath, CLI, "scaffold", id, "--out", fresh(`ours${tag}`, run)] }) },
  ];
  const [cdk, ours] = timeJobs(group(process.env, ""), cdkRuns, 1);
  rows.push({ what: "`cdk init app --language typescript --generate-only` (the peer)", stats: cdk, target: "", pass: undefined });
  rows.push(ratioRow(`\`scaffold ${id} --out DIR\``, ours!, cdk!, 0.15));
  const clean = withoutExtraCerts();
  if (clean) {
    const [cleanCdk, cleanOurs] = timeJobs(group(clean, "-clean"), cdkRuns, 1);
    rows.push({ what: "`cdk init …` without NODE_EXTRA_CA_CERTS", stats: cleanCdk, target: "", pass: undefined });
    rows.push(info(ratioRow(`\`scaffold ${id} --out DIR\` without NODE_EXTRA_CA_CERTS`, cleanOurs!, cleanCdk!, 0.15)));
  }
}

/** The environment without NODE_EXTRA_CA_CERTS, when it is set (else undefined). */
function withoutExtraCerts(): NodeJS.ProcessEnv | undefined {
  if (!process.env.NODE_EXTRA_CA_CERTS) return undefined;
  const clean = { ...process.env };
  delete clean.NODE_EXTRA_CA_CERTS;
  return clean;
}

/** A row shown for information: its target in brackets, not judged. */
function info(row: Row): Row {
  return { ...row, target: `(${row.target})`, pass: undefined };
}

/** The requested scaffold if it has a template that renders (`--dry-run`), else the fallback, saying so. */
function scaffoldId(wanted: string, fallback: string): string {
  const hasTemplate = existsSync(join(ROOT, "templates", "cdk", wanted));
  const trial = hasTemplate ? spawnSync(process.execPath, [CLI, "scaffold", wanted, "--dry-run", "--out", join(work, "dry-run")], { encoding: "utf8" }) : undefined;
  if (trial?.status === 0) return wanted;
  const why = hasTemplate ? `\`scaffold ${wanted} --dry-run\` failed (${trial?.stderr.trim().split("\n")[0] ?? "no output"})` : `\`${wanted}\` has no template in templates/cdk/`;
  notes.push(`scaffold: ${why}, so the bench fell back to \`${fallback}\``);
  console.log(`bench: ${why}; falling back to "${fallback}"`);
  return fallback;
}

function benchCatalog(): void {
  const dirs = CATALOG_SIZES.map((size) => generateCatalog(size));
  const runs = Math.max(5, Math.min(RUNS, 9));
  const jobs: Job[] = [
    { label: "advise --format json (built-in catalog only)", argv: [process.execPath, CLI, ...ADVISE, "--format", "json"] },
    ...CATALOG_SIZES.map((size, i) => ({ label: `--patterns ${size}`, argv: [process.execPath, CLI, "--patterns", dirs[i]!, ...ADVISE, "--format", "json"] })),
  ];
  const [none, ...sized] = timeJobs(jobs, runs, 1);
  rows.push({ what: "`advise --format json`, built-in catalog only", stats: none, target: "", pass: undefined });
  sized.forEach((stats, i) => {
    const size = CATALOG_SIZES[i]!;
    const last = size === 1000;
    rows.push({ what: `\`advise --patterns DIR\`, ${size} extra entries`, stats, target: last ? "≤ 1000 ms" : "", pass: last ? stats!.median <= 1000 : undefined });
  });
  // linear growth: the cost an entry adds from 500 to 1000 is no more than 1.5x what it adds from 250 to 500
  const [s250, s500, s1000] = sized.map((s) => s!.median) as [number, number, number];
  const early = (s500 - s250) / 250;
  const late = (s1000 - s500) / 500;
  rows.push({
    what: "growth: ms per extra entry, 250→500 vs 500→1000",
    value: `${early.toFixed(2)} vs ${late.toFixed(2)} ms`,
    ratio: `${(late / early).toFixed(2)}×`,
    target: "linear (≤ 1.5×)",
    pass: late <= 1.5 * Math.max(early, 0.01),
  });
}

/** Clones the built-in patterns round-robin under new ids until the folder holds `size` entries. */
function generateCatalog(size: number): string {
  const sources = readdirSync(join(ROOT, "patterns")).filter((f) => f.endsWith(".yaml") && !f.startsWith("_")).sort();
  const dir = join(work, `catalog-${size}`);
  mkdirSync(dir);
  for (let i = 0; i < size; i++) {
    const file = sources[i % sources.length]!;
    const text = readFileSync(join(ROOT, "patterns", file), "utf8");
    const id = `${file.replace(/\.yaml$/, "")}-bench-${i + 1}`;
    const cloned = text.replace(/^id: .*$/m, `id: ${id}`);
    if (cloned === text) fail(`patterns/${file} has no top-level \`id:\` line to replace`);
    writeFileSync(join(dir, `${id}.yaml`), cloned);
  }
  return dir;
}

function benchPackage(): void {
  const packDir = join(work, "pack");
  const installDir = join(work, "install");
  mkdirSync(packDir);
  mkdirSync(installDir);
  const packed = run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: ROOT });
  const [info] = JSON.parse(packed.slice(packed.indexOf("["))) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  if (!info) fail("npm pack printed no package");
  const tarball = join(packDir, info.filename);
  run("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: installDir });
  const counted = countTree(join(installDir, "node_modules"));
  const packages = packagesIn(join(installDir, "node_modules"));
  const manifest = JSON.parse(readFileSync(join(installDir, "node_modules", "aws-patterns", "package.json"), "utf8")) as Record<string, object | undefined>;
  const declared = ["dependencies", "optionalDependencies", "peerDependencies"].flatMap((k) => Object.keys(manifest[k] ?? {}));
  const installed = join(installDir, "node_modules", ".bin", "aws-patterns");
  const smoke = spawnSync(installed, ["list", "--format", "json"], { encoding: "utf8" });
  const lists = smoke.status === 0 && (JSON.parse(smoke.stdout) as unknown[]).length > 0;
  // the package ships templates precompiled, without their .hbs text: it must still scaffold
  const app = join(work, "installed-app");
  const scaffolded = spawnSync(installed, ["scaffold", "serverless", "--out", app], { encoding: "utf8" });
  const scaffolds = scaffolded.status === 0 && existsSync(join(app, "lib", "settings.ts"));
  rows.push({ what: "`npm pack` tarball", value: `${kb(info.size)} (${info.entryCount} files, ${kb(info.unpackedSize)} unpacked)`, target: "", pass: undefined });
  rows.push({ what: "installed into an empty folder: node_modules", value: `${kb(counted.bytes)} in ${counted.files} files`, target: "≤ 3 MB", pass: counted.bytes <= 3 * MB });
  rows.push({
    what: "installed packages (runtime dependencies declared)",
    value: `${packages.length}: ${packages.join(", ")} (declared: ${declared.length === 0 ? "none" : declared.join(", ")})`,
    target: "1 (none)",
    pass: packages.length === 1 && declared.length === 0,
  });
  rows.push({ what: "installed CLI runs (`aws-patterns list --format json`)", value: lists ? "yes" : `no: ${smoke.stderr.trim()}`, target: "yes", pass: lists });
  rows.push({ what: "installed CLI scaffolds (`aws-patterns scaffold serverless`)", value: scaffolds ? "yes" : `no: ${scaffolded.stderr.trim()}`, target: "yes", pass: scaffolds });
}

/** Files and bytes (of regular files) below a folder; symbolic links (node_modules/.bin) are not followed. */
function countTree(dir: string): { files: number; bytes: number } {
  const total = { files: 0, bytes: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = countTree(path);
      total.files += inner.files;
      total.bytes += inner.bytes;
    } else if (entry.isFile()) {
      total.files++;
      total.bytes += statSync(path).size;
    }
  }
  return total;
}

/** The package folders of a node_modules folder (scoped ones too), and those nested below them. */
function packagesIn(modules: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(modules)) {
    if (name.startsWith(".")) continue;
    const slots = name.startsWith("@") ? readdirSync(join(modules, name)).map((n) => join(name, n)) : [name];
    for (const slot of slots) {
      if (!existsSync(join(modules, slot, "package.json"))) continue;
      found.push(slot);
      const nested = join(modules, slot, "node_modules");
      if (existsSync(nested)) found.push(...packagesIn(nested).map((p) => `${slot} > ${p}`));
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------

/** Times the jobs interleaved: warmups first (each must exit 0), then `runs` rounds of every job. */
function timeJobs(jobs: readonly Job[], runs: number, warmup: number): Stats[] {
  console.log(`bench: ${jobs.map((j) => j.label).join(" | ")} (${warmup} warmup + ${runs} runs each)`);
  const samples = jobs.map(() => [] as number[]);
  for (let round = -warmup; round < runs; round++) {
    jobs.forEach((job, j) => {
      const { argv, cwd } = job.prepare ? job.prepare(round + warmup) : { argv: job.argv!, cwd: job.cwd };
      const answered = job.input !== undefined;
      const options: SpawnSyncOptions = { cwd, env: job.env, maxBuffer: 1 << 30, input: job.input, stdio: [answered ? "pipe" : "ignore", round < 0 || answered ? "pipe" : "ignore", "pipe"] };
      const start = process.hrtime.bigint();
      const result = spawnSync(argv[0]!, argv.slice(1), options);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (!(job.okCodes ?? [0]).includes(result.status ?? -1)) fail(`${job.label} exited ${result.status ?? result.signal}:\n${String(result.stderr ?? "")}`);
      if (answered && String(result.stdout).trim() === "") fail(`${job.label} gave no answer on stdout:\n${String(result.stderr ?? "")}`);
      if (round >= 0) samples[j]!.push(ms);
    });
  }
  return samples.map(summarize);
}

function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: sorted.length, median, min: sorted[0]!, p90: sorted[Math.ceil(0.9 * sorted.length) - 1]! };
}

function ratioRow(what: string, stats: Stats, base: Stats, target: number): Row {
  const ratio = stats.median / base.median;
  return { what, stats, ratio: `${ratio.toFixed(2)}×`, target: `≤ ${target.toFixed(2)}×`, pass: ratio <= target };
}

function run(command: string, argv: string[], options: { cwd: string }): string {
  const result = spawnSync(command, argv, { ...options, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) fail(`${command} ${argv.join(" ")} exited ${result.status ?? result.signal}:\n${result.stderr}`);
  return result.stdout;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------

function machineFacts(): string[] {
  const cpu = cpus();
  const osRelease = existsSync("/etc/os-release") ? /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] : undefined;
  const npm = spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim();
  const fmt = (l: number[]) => l.map((x) => x.toFixed(2)).join(", ");
  return [
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- CPU: ${cpu[0]?.model ?? "unknown"}, ${cpu.length} cores`,
    `- memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${osRelease ?? osType()} (kernel ${release()})`,
    `- Node ${process.version}, npm ${npm}`,
    `- NODE_EXTRA_CA_CERTS: ${process.env.NODE_EXTRA_CA_CERTS ? "set (every node process parses that CA bundle at start; see the rows without it)" : "not set"}`,
    `- load average (1, 5, 15 min) at start: ${fmt(load.start)}; at end: ${fmt(load.end)}`,
    `- runs: ${RUNS} timed (+${WARMUP} warmup) for the advise group; fewer for the slow groups (see each row)`,
  ];
}

function cells(row: Row): string[] {
  const ms = (x: number) => `${Math.round(x)} ms`;
  const verdict = row.pass === undefined ? "" : row.pass ? "PASS" : "**FAIL**";
  return [
    row.what,
    row.stats ? ms(row.stats.median) : (row.value ?? ""),
    row.stats ? ms(row.stats.min) : "",
    row.stats ? ms(row.stats.p90) : "",
    row.stats ? String(row.stats.runs) : "",
    row.ratio ?? "",
    row.target,
    verdict,
  ];
}

function renderResults(): string {
  const header = ["measurement", "median (or value)", "min", "p90", "runs", "ratio", "target", "result"];
  const table = [header, header.map(() => "---"), ...rows.map(cells)].map((r) => `| ${r.join(" | ")} |`);
  const failed = rows.filter((r) => r.pass === false).length;
  return [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts): every command runs as a fresh process, the runs of a",
    "group interleaved; ratios compare medians taken in the same run. Times are wall-clock, including",
    "process start. The catalog rows run `advise --format json` with `--patterns` pointing at N",
    "entries cloned from `patterns/` under new ids; the package rows `npm pack` the built package and",
    "`npm install` the tarball into an empty folder.",
    "",
    "## Machine",
    "",
    ...machineFacts(),
    "",
    "## Results",
    "",
    ...table,
    "",
    failed === 0 ? "Every target is met." : `${failed} target${failed === 1 ? " is" : "s are"} missed.`,
    ...(notes.length > 0 ? ["", "## Notes", "", ...notes.map((n) => `- ${n}`)] : []),
    "",
  ].join("\n");
}

function printSummary(): void {
  const widths = [58, 26, 8, 12, 6];
  console.log("");
  for (const row of rows) {
    const [what, value, , , , ratio, target, verdict] = cells(row);
    console.log([what!.replaceAll("`", ""), value, ratio, target, verdict].map((c, i) => c!.padEnd(widths[i]!)).join(" ").trimEnd());
  }
  console.log(`\nbench: wrote ${args.out}`);
}

function kb(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / 1000).toFixed(1)} kB`;
}
