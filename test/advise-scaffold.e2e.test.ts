import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tryMutations } from "./support/mutations.ts";
import { runCli } from "./support/run-cli.ts";
import { deriveSettings } from "../src/render/scaffold-settings.ts";
import { requirementsSchema } from "../src/requirements/schema.ts";
import { parse } from "yaml";
import { checkAdvisedApp, type CfnTemplate } from "./support/scaffold-harness.ts";

/**
 * `advise --scaffold` on several requirement sets: each app must type-check, synthesize with
 * CloudFormation validation and every cdk-nag pack its compliance asks for, pass its own tests,
 * list every requirement-derived setting in its README, and show the requirements in its template.
 */
const SETS = "test/fixtures/scaffold-sets";
const TIMEOUT_MS = 900_000;

type Resource = { Type: string; Properties?: Record<string, unknown> };
const resources = (templates: Record<string, CfnTemplate>, type: string): Resource[] =>
  Object.values(templates).flatMap((t) => Object.values(t.Resources ?? {})).filter((r) => r.Type === type);

const CASES: { file: string; primary: string; complements?: string[]; packs: string[]; shows: (templates: Record<string, CfnTemplate>, readme: string) => void }[] = [
  {
    file: "hipaa-clinic.yaml",
    primary: "hipaa-healthcare",
    packs: ["HIPAASecurityChecks"],
    shows: (templates) => expect(resources(templates, "AWS::KMS::Key").length).toBeGreaterThan(0),
  },
  {
    file: "clickstream.yaml",
    primary: "realtime-analytics",
    packs: [],
    shows: (templates) => {
      const streams = resources(templates, "AWS::Kinesis::Stream");
      expect(streams.length).toBeGreaterThan(0);
      for (const s of streams) {
        const onDemand = (s.Properties?.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode === "ON_DEMAND";
        expect(onDemand || Number(s.Properties?.ShardCount) >= 80, JSON.stringify(s.Properties)).toBe(true);
      }
    },
  },
  {
    file: "ledger-5m-rpo.yaml",
    primary: "serverless",
    // serverless already meets a 5-minute RPO on its own, so no DR complement; the settings still replicate
    packs: [],
    shows: (templates) => {
      const replicas = resources(templates, "AWS::DynamoDB::GlobalTable").flatMap((t) => (t.Properties?.Replicas as { Region: string }[] | undefined) ?? []);
      const bucketRules = resources(templates, "AWS::S3::Bucket").filter((b) => b.Properties?.ReplicationConfiguration !== undefined);
      expect(replicas.some((r) => r.Region === "us-west-2") || bucketRules.length > 0, "data replicated to us-west-2").toBe(true);
    },
  },
  {
    file: "read-heavy-api.yaml",
    primary: "cache-aside",
    packs: [],
    shows: (templates) => expect(resources(templates, "AWS::ElastiCache::ReplicationGroup").length).toBeGreaterThan(0),
  },
  {
    file: "read-heavy-serverless.yaml",
    primary: "serverless",
    complements: ["cache-aside"],
    packs: [],
    shows: (templates, readme) => {
      expect(resources(templates, "AWS::ElastiCache::ReplicationGroup")).toHaveLength(1);
      // the functions that read or write one item read through the cache: its endpoint in their environment, inside the VPC
      const readers = resources(templates, "AWS::Lambda::Function").filter((f) => (f.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.CACHE_HOST !== undefined);
      expect(readers).toHaveLength(3);
      for (const fn of readers) expect(fn.Properties?.VpcConfig).toBeDefined();
      expect(readme).toMatch(/## Complements composed into this app[\s\S]*cache-aside/);
    },
  },
  {
    file: "global-api.yaml",
    primary: "serverless",
    complements: ["global-content-delivery"],
    packs: [],
    shows: (templates, readme) => {
      expect(resources(templates, "AWS::CloudFront::Distribution")).toHaveLength(1);
      expect(readme).toMatch(/## Complements composed into this app[\s\S]*global-content-delivery/);
    },
  },
  {
    file: "soc2-events.yaml",
    primary: "event-driven",
    packs: ["NIST80053R5Checks"],
    shows: (templates, readme) => {
      expect(resources(templates, "AWS::Events::EventBus").length).toBeGreaterThan(0);
      expect(readme).toMatch(/SOC 2 has no cdk-nag rule pack/);
    },
  },
];

describe.concurrent("advise --scaffold: the recommended app, tuned to the requirements", () => {
  it.each(CASES.map((c) => [c.file, c] as const))("%s", async (file, c) => {
    const check = await checkAdvisedApp(join(SETS, file), file.replace(/\.yaml$/, ""));
    const explain = (step: { output: string } | undefined) => step?.output.split("\n").slice(-40).join("\n") ?? "not run";
    expect(check.scaffold.ok, check.scaffold.output).toBe(true);
    expect(check.advice?.recommendation.primary).toBe(c.primary);
    for (const id of c.complements ?? []) expect(check.advice?.recommendation.complements).toContain(id);
    expect(check.scaffold.output).toMatch(new RegExp(`Scaffolded .*\\(${c.primary}\\)`));
    expect(check.typecheck?.ok, explain(check.typecheck)).toBe(true);
    expect(check.synth?.ok, explain(check.synth)).toBe(true);
    expect(check.tests?.ok, explain(check.tests)).toBe(true);

    // the packs the compliance asks for run, and the README names them
    const app = readFileSync(join(check.dir, "lib/app.ts"), "utf8");
    for (const pack of ["AwsSolutionsChecks", ...c.packs]) expect(app).toContain(`addPlugins(new ${pack}(app))`);
    // every requirement-derived setting is in the README with its reason, and in lib/settings.ts
    const requirements = requirementsSchema.parse(parse(readFileSync(join(SETS, file), "utf8")));
    const derived = deriveSettings(requirements);
    const settings = readFileSync(join(check.dir, "lib/settings.ts"), "utf8");
    for (const reason of derived.reasons) {
      expect(check.readme).toContain(`| \`${reason.setting}\` | ${reason.value} |`);
      if (reason.setting !== "cdk-nag pack" && reason.value !== "unset") expect(settings).toContain(`  ${reason.setting}: `);
    }
    for (const a of check.acknowledgements) expect(check.readme, `${a.rule} is explained in the README`).toContain(a.rule);
    c.shows(check.templates, check.readme);

    // verify: the recorded decision and the synthesized assembly hold, and each applicable mutation is caught
    const adr = join(check.dir, "decision.md");
    expect((await runCli(["advise", "-r", join(SETS, file), "--no-input", "--out", adr])).code).toBe(0);
    const holds = await runCli(["verify", adr, "--assembly", join(check.dir, "cdk.out")]);
    expect(holds.code, holds.stdout + holds.stderr).toBe(0);
    const tried = tryMutations(join(SETS, file), join(check.dir, "cdk.out"));
    applicable.push(...tried.applicable.map((m) => `${file}: ${m}`));
    missed.push(...tried.missed.map((m) => `${file}: ${m}`));
  }, TIMEOUT_MS);

  afterAll(() => {
    process.stdout.write(`verify mutations: caught ${applicable.length - missed.length} of ${applicable.length} applicable\n`);
    expect(missed).toEqual([]);
  });
});

const missed: string[] = [];
const applicable: string[] = [];
