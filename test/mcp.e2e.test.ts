import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { statedFlags } from "../src/requirements/next-steps.ts";
import { inPool, runCli, type CliRun } from "./support/run-cli.ts";
import { proveApp } from "./support/scaffold-harness.ts";

/**
 * `aws-patterns mcp` as an MCP client meets it: the built CLI started as a server on stdio and
 * driven by the SDK's own Client. Every answer that the CLI also prints as JSON is held to the
 * CLI's bytes, and every bad input to the CLI's message.
 */
const REPO = resolve(import.meta.dirname, "..");
/** Below the repository's .tmp/, so that a scaffolded app finds this repository's node_modules. */
const WORK = join(REPO, ".tmp", `mcp-${process.pid}`);
const ROOT = join(WORK, "root");
const OUTSIDE = join(WORK, "outside");
const TOOLS = ["list_patterns", "show_pattern", "requirements_schema", "advise", "scaffold", "verify", "diff"];
const EXAMPLES = readdirSync(join(REPO, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => `examples/${f}`);

type Text = { type: "text"; text: string };
type Result = { content: Text[]; isError?: boolean };

/** A connected client of `aws-patterns [global...] mcp [args...]`, its stderr kept, its protocol errors counted. */
async function startServer(args: string[], global: string[] = []) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(REPO, "bin/aws-patterns.js"), ...global, "mcp", ...args], cwd: REPO, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "aws-patterns-test", version: "0.0.0" });
  const problems: Error[] = [];
  client.onerror = (error) => problems.push(error);
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as Result;
  return { client, call, stderr: () => stderr, problems };
}

let server: Awaited<ReturnType<typeof startServer>>;
let rooted: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  mkdirSync(OUTSIDE, { recursive: true });
  [server, rooted] = await Promise.all([startServer([]), startServer(["--root", ROOT])]);
});

afterAll(async () => {
  await Promise.all([server?.client.close(), rooted?.client.close()]);
  rmSync(WORK, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { timeoutMs: 30_000 });
const only = (result: Result) => {
  expect(result.isError, result.content[0]?.text).toBeFalsy();
  return result.content.map((c) => c.text);
};

describe("aws-patterns mcp", () => {
  it("initializes, names itself and lists every tool with an input schema from the CLI's zod schemas", async () => {
    expect(server.client.getServerVersion()?.name).toBe("aws-patterns");
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.description, tool.name).toMatch(/\w{3,}/);
    }
    const advise = tools.find((t) => t.name === "advise")!;
    expect(advise.inputSchema.required).toEqual(["requirements"]);
    // the requirements argument is the requirements file's schema, as `aws-patterns schema` publishes it
    const published = JSON.parse((await cli(["schema"])).stdout) as { properties: Record<string, unknown>; required: string[] };
    const argument = (advise.inputSchema.properties as Record<string, { properties: Record<string, unknown>; required: string[] }>).requirements!;
    expect(argument.properties).toEqual(published.properties);
    expect(argument.required).toEqual(["workload"]);
    expect(tools.find((t) => t.name === "scaffold")!.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === "advise")!.annotations?.readOnlyHint).toBe(true);
  });

  it("advise on every example gives the bytes of `advise --format json`", async () => {
    const runs = await inPool(
      EXAMPLES.map((file) => () => cli(["advise", "--requirements", file, "--format", "json", "--no-input"])),
      2,
    );
    for (const [i, file] of EXAMPLES.entries()) {
      const run = runs[i]!;
      expect(run.code, run.stderr).toBe(0);
      const requirements = parse(readFileSync(join(REPO, file), "utf8")) as Record<string, unknown>;
      const texts = only(await server.call("advise", { requirements }));
      expect(texts, file).toHaveLength(1);
      expect(texts[0], file).toBe(run.stdout);
    }
  });

  it("advise with document: true adds the design document that `advise --format md` writes for the same requirements", async () => {
    const file = "examples/static-site.yaml";
    const requirements = parse(readFileSync(join(REPO, file), "utf8")) as Record<string, unknown>;
    const [json, document] = only(await server.call("advise", { requirements, document: true }));
    const advice = JSON.parse(json!) as { stated: Record<string, unknown>; recommendation: { primary: string } };
    // the same requirements stated as flags: the document's next steps then read the same too
    const flags = statedFlags(advice.stated).flatMap((word) => word.split(" "));
    expect(flags.join(" ")).not.toMatch(/['"]/);
    const run = await cli(["advise", ...flags, "--format", "md", "--no-input"]);
    expect(run.code, run.stderr).toBe(0);
    expect(document).toBe(run.stdout);
    expect(document).toMatch(/^---\n[\s\S]*\naws-patterns:\n/);
    expect(document).toContain(`primary: ${advice.recommendation.primary}\n`);
  });

  it("list_patterns, show_pattern, requirements_schema, verify and diff give the bytes the CLI prints", async () => {
    const verifyArgs = ["--assembly", "test/fixtures/verify/assembly", "-r", "test/fixtures/verify/requirements.yaml"];
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["list_patterns", {}, ["list", "--format", "json"]],
      ["show_pattern", { id: "cache-aside", format: "json" }, ["show", "cache-aside", "--format", "json"]],
      ["show_pattern", { id: "serverless", format: "mermaid" }, ["show", "serverless", "--format", "mermaid"]],
      ["show_pattern", { id: "multi-region-dr" }, ["show", "multi-region-dr"]],
      ["requirements_schema", {}, ["schema"]],
      ["verify", { assembly: "test/fixtures/verify/assembly", requirements: "test/fixtures/verify/requirements.yaml" }, ["verify", ...verifyArgs, "--format", "json"]],
      ["diff", { before: "examples/static-site.yaml", after: "examples/genai-rag.yaml" }, ["diff", "examples/static-site.yaml", "examples/genai-rag.yaml", "--format", "json"]],
      ["diff", { before: "examples/static-site.yaml", after: "examples/genai-rag.yaml", format: "md" }, ["diff", "examples/static-site.yaml", "examples/genai-rag.yaml", "--format", "md"]],
    ];
    const runs = await inPool(
      cases.map(([, , args]) => () => cli(args)),
      2,
    );
    for (const [i, [tool, args]] of cases.entries()) {
      const texts = only(await server.call(tool, args));
      expect(texts[0], `${tool} ${JSON.stringify(args)}`).toBe(runs[i]!.stdout);
      expect(runs[i]!.stdout.length).toBeGreaterThan(20);
    }
    // verify also says whether the decision holds, in the words of the CLI's report
    const verified = only(await server.call("verify", { assembly: "test/fixtures/verify/assembly", requirements: "test/fixtures/verify/requirements.yaml" }));
    const report = await cli(["verify", ...verifyArgs]);
    expect(verified[1]).toBe(report.stdout.trimEnd().split("\n").at(-1));
    expect(verified[1]).toMatch(/^The decision (holds|does not hold): /);
    expect((JSON.parse(verified[0]!) as { holds: boolean }).holds).toBe(report.code === 0);
  });

  it("diff takes requirements as objects too, named by their argument", async () => {
    const before = parse(readFileSync(join(REPO, "examples/static-site.yaml"), "utf8")) as Record<string, unknown>;
    const after = { ...before, availability: 99.99 };
    const json = JSON.parse(only(await server.call("diff", { before, after }))[0]!) as { before: string; after: string; requirements: { on: string; before: unknown; after: unknown }[] };
    expect([json.before, json.after]).toEqual(["before", "after"]);
    expect(json.requirements).toEqual([expect.objectContaining({ on: "availability", before: 99.9, after: 99.99 })]);
  });

  it("scaffold writes an app inside its root that type-checks and synthesizes", async () => {
    const started = Date.now();
    const requirements = { name: "orders-api", workload: ["api"], availability: 99.95 };
    const [report] = only(await rooted.call("scaffold", { id: "serverless", out: "orders", requirements }));
    const dir = join(ROOT, "orders");
    expect(report).toContain("Scaffolded Serverless (serverless) as orders-api in ");
    expect(report).toContain(" in orders: ");
    expect(report).toContain("\n  cd orders\n");
    const check = await proveApp(dir, { ok: true, output: report!, ms: Date.now() - started }, { tests: false });
    expect(check.typecheck?.ok, check.typecheck?.output).toBe(true);
    expect(check.synth?.ok, check.synth?.output).toBe(true);
    expect(check.resourceTypes).toContain("AWS::Lambda::Function");
    // never over a folder that is not empty without force; with force, the generated files only
    writeFileSync(join(dir, "NOTES.md"), "mine\n");
    const again = await rooted.call("scaffold", { id: "serverless", out: "orders" });
    expect(again.isError).toBe(true);
    expect(again.content[0]!.text).toMatch(/^aws-patterns: orders: is not empty \(\d+ entries\); nothing was written\nhint: pass --force/);
    const forced = only(await rooted.call("scaffold", { id: "serverless", out: "orders", requirements, force: true }));
    expect(forced[0]).toMatch(/ replaced\.\n/);
    expect(readFileSync(join(dir, "NOTES.md"), "utf8")).toBe("mine\n");
  }, 120_000);

  it("refuses to scaffold outside its root, through .. or a symbolic link, and writes nothing there", async () => {
    symlinkSync(OUTSIDE, join(ROOT, "link"));
    const attempts: [string, RegExp][] = [
      [join(OUTSIDE, "app"), /: is outside .*, the folder this server may read and write\nhint: /],
      ["../outside/app", /^aws-patterns: \.\.\/outside\/app: is outside /],
      ["link/app", /^aws-patterns: link\/app: leads outside .* through a symbolic link\n/],
      ["link", /^aws-patterns: link: leads outside .* through a symbolic link\n/],
    ];
    for (const [out, message] of attempts) {
      const result = await rooted.call("scaffold", { id: "serverless", out, force: true });
      expect(result.isError, out).toBe(true);
      expect(result.content[0]!.text, out).toMatch(message);
    }
    expect(readdirSync(OUTSIDE)).toEqual([]);
    // reading is held to the root as well
    const read = await rooted.call("diff", { before: join(REPO, "examples/static-site.yaml"), after: "../../../examples/genai-rag.yaml" });
    expect(read.isError).toBe(true);
    expect(read.content[0]!.text).toMatch(/examples\/static-site\.yaml: is outside /);
  });

  it("answers bad input to every tool with a tool error in the CLI's words, and keeps serving", async () => {
    const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });
    const badFile = join(WORK, "bad.yaml");
    writeFileSync(badFile, "workload: [api]\navailability: 120\n");
    const asCli = (run: CliRun) => run.stderr.trimEnd();
    const firstLine = (run: CliRun) => run.stderr.split("\n")[0]!;
    // each: tool, arguments, the CLI run that has the same mistake, and what of its stderr the tool error must equal
    const cases: [string, Record<string, unknown>, string[] | undefined, ((run: CliRun) => string) | RegExp][] = [
      ["list_patterns", { format: "json" }, undefined, /^aws-patterns: list_patterns › format: unknown key$/],
      ["show_pattern", { id: "nope" }, ["show", "nope"], asCli],
      ["show_pattern", {}, ["show"], firstLine],
      ["show_pattern", { id: "serverless", format: "xml" }, undefined, /^aws-patterns: show_pattern › format: expected one of text, json, mermaid; found "xml"$/],
      ["requirements_schema", { fromat: "json" }, undefined, /^aws-patterns: requirements_schema › fromat: unknown key/],
      ["advise", {}, undefined, /^aws-patterns: missing required argument 'requirements'$/],
      // the file's name and line aside, the same words as `advise -r` gives for the same value
      ["advise", { requirements: { workload: ["api"], availability: 120 } }, ["advise", "-r", badFile, "--format", "json", "--no-input"], (run) => asCli(run).replace(`${badFile} › availability (line 2)`, "requirements › availability")],
      ["advise", { requirements: { workload: ["api"], trafic: {} } }, undefined, /^aws-patterns: requirements › trafic: unknown key; did you mean "traffic"\?/],
      ["advise", { requirements: ["api"] }, undefined, /^aws-patterns: requirements: the top level is a list; expected a mapping of fields$/],
      ["advise", { requirements: { workload: ["api"], traffic: nested(40) } }, undefined, /^aws-patterns: requirements: is nested too deeply to read; at most 32 levels are allowed$/],
      ["scaffold", { id: "nope", out: "x" }, ["scaffold", "nope", "--out", "x"], asCli],
      ["scaffold", { out: "x" }, ["scaffold"], firstLine],
      ["scaffold", { id: "serverless", out: "../x" }, undefined, /^aws-patterns: \.\.\/x: is outside /],
      ["scaffold", { id: "serverless", out: "x", name: "Not Kebab" }, ["scaffold", "serverless", "--out", "x", "--name", "Not Kebab", "--dry-run"], asCli],
      ["verify", {}, ["verify"], asCli],
      ["verify", { records: ["/etc/passwd"] }, undefined, /^aws-patterns: \/etc\/passwd: is outside /],
      ["verify", { requirements: { workload: ["nope"] } }, undefined, /^aws-patterns: requirements › workload\[0\]: expected one of /],
      ["diff", { before: "examples/static-site.yaml" }, ["diff", "examples/static-site.yaml"], firstLine],
      ["diff", { before: "examples/nope.yaml", after: "examples/static-site.yaml" }, ["diff", "examples/nope.yaml", "examples/static-site.yaml"], asCli],
      ["diff", { before: 42, after: {} }, undefined, /^aws-patterns: before: the top level is a number; expected a mapping of fields$/],
    ];
    const runs = await inPool(
      cases.map(([, , args]) => () => (args ? cli(args) : Promise.resolve(undefined))),
      2,
    );
    for (const [i, [tool, args, , expected]] of cases.entries()) {
      const label = `${tool} ${JSON.stringify(args)}`;
      const result = await rooted.call(tool, args);
      expect(result.isError, label).toBe(true);
      const text = result.content[0]!.text;
      if (expected instanceof RegExp) expect(text, label).toMatch(expected);
      else {
        const run = runs[i]!;
        expect(run.code, label).toBe(2);
        expect(text, label).toBe(expected(run));
      }
    }
    for (const t of TOOLS) expect(cases.some(([tool]) => tool === t), t).toBe(true);
    expect(readdirSync(ROOT).filter((f) => f === "x")).toEqual([]);
    expect(existsSync(join(REPO, "x"))).toBe(false);
    // an unknown tool is a protocol error, and the server goes on answering
    await expect(rooted.client.callTool({ name: "advice", arguments: {} })).rejects.toThrow(/unknown tool "advice"; did you mean "advise"\?/);
    expect(only(await rooted.call("list_patterns"))[0]).toMatch(/^\[\n/);
    expect([...server.problems, ...rooted.problems]).toEqual([]);
  });

  it("serves each catalog entry's YAML as a resource", async () => {
    const { resources } = await server.client.listResources();
    const ids = (JSON.parse(only(await server.call("list_patterns"))[0]!) as { id: string }[]).map((e) => e.id);
    expect(resources.map((r) => r.uri)).toEqual(ids.map((id) => `aws-patterns://patterns/${id}`));
    for (const resource of resources) {
      const { contents } = await server.client.readResource({ uri: resource.uri });
      expect(contents).toHaveLength(1);
      expect(contents[0]!.mimeType).toBe("application/yaml");
      expect((contents[0] as { text: string }).text).toBe(readFileSync(join(REPO, "patterns", `${resource.name}.yaml`), "utf8"));
    }
    await expect(server.client.readResource({ uri: "aws-patterns://patterns/nope" })).rejects.toThrow(/unknown pattern id "nope"/);
  });

  it("serves --patterns entries too, as the other commands do", async () => {
    const folder = join(WORK, "own-patterns");
    mkdirSync(folder);
    const yaml = readFileSync(join(REPO, "patterns", "serverless.yaml"), "utf8").replace(/^id: .*$/m, "id: my-serverless");
    writeFileSync(join(folder, "my-serverless.yaml"), yaml);
    const own = await startServer([], ["--patterns", folder]);
    try {
      const { contents } = await own.client.readResource({ uri: "aws-patterns://patterns/my-serverless" });
      expect((contents[0] as { text: string }).text).toBe(yaml);
      const ids = (JSON.parse(only(await own.call("list_patterns"))[0]!) as { id: string }[]).map((e) => e.id);
      expect(ids).toContain("my-serverless");
    } finally {
      await own.client.close();
    }
  });

  it("outlives a line that is not JSON, and exits 0 when its input ends, with nothing but protocol messages on stdout", async () => {
    const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
    const initialized = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
    const call = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "show_pattern", arguments: { id: "serverless" } } });
    const input = join(WORK, "session.jsonl");
    writeFileSync(input, [initialize, initialized, "{not json", call].join("\n") + "\n");
    const fd = openSync(input, "r");
    const run = await runCli(["mcp"], { stdin: fd, timeoutMs: 20_000 });
    closeSync(fd);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([1, 2]);
    expect((JSON.parse(lines[1]!) as { result: Result }).result.content[0]!.text).toMatch(/^Serverless \(serverless, generic\)/);
    expect(run.stderr).toMatch(/^aws-patterns: mcp: .*JSON/m);
  });

  it("refuses a --root that is not a folder, as a usage error", async () => {
    const run = await runCli(["mcp", "--root", "no-such-folder"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("aws-patterns: --root: no-such-folder: no such folder\n");
  });
});

describe("the other commands do not load the MCP SDK", () => {
  /** The files a chunk imports, statically (and dynamically too, when asked), transitively. */
  function closure(entry: string, dynamic: boolean): Set<string> {
    const seen = new Set<string>();
    const pending = [entry];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const code = readFileSync(join(REPO, "dist", file), "utf8");
      const pattern = dynamic ? /(?:from\s*|import\s*\(?\s*)"\.\/([\w-]+\.js)"/g : /(?:from\s*|import\s*)"\.\/([\w-]+\.js)"/g;
      for (const match of code.matchAll(pattern)) pending.push(match[1]!);
    }
    return seen;
  }
  /** A string only the SDK's protocol code holds. */
  const hasSdk = (file: string) => readFileSync(join(REPO, "dist", file), "utf8").includes("notifications/initialized");

  it("keeps the SDK in the chunks `mcp` loads, out of dist/main.js and out of everything `advise` can load", () => {
    const main = readFileSync(join(REPO, "dist", "main.js"), "utf8");
    const lazy = (name: string) => new RegExp(`import\\("\\./(${name}-[\\w]+\\.js)"\\)`).exec(main)?.[1];
    const mcp = lazy("mcp");
    const advise = lazy("advise");
    expect(mcp).toBeDefined();
    expect(advise).toBeDefined();
    expect([...closure(mcp!, false)].some(hasSdk)).toBe(true);
    for (const file of [...closure("main.js", false), ...closure(advise!, true)]) expect(hasSdk(file), file).toBe(false);
    expect(closure(advise!, true).has(mcp!)).toBe(false);
  });

  it("bundles no ajv: the server never asks for input, the one thing the SDK would validate with it", () => {
    // an option name only ajv's code holds
    for (const file of readdirSync(join(REPO, "dist")).filter((f) => f.endsWith(".js"))) expect(readFileSync(join(REPO, "dist", file), "utf8"), file).not.toContain("strictTuples");
  });
});
