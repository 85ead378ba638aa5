import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDocument, type ScalarTag, type CollectionTag } from "yaml";
import { readTextFile } from "../data-file.ts";
import { UserError } from "../errors.ts";

/** One CloudFormation resource, with where it was read from. */
/** `acknowledged`: the cdk-nag findings acknowledged on the resource (or a construct above it), with their reasons. */
export type Resource = { logicalId: string; type: string; properties: Record<string, unknown>; metadata: Record<string, unknown>; file: string; stack: string; acknowledged?: { id: string; reason: string }[] };
/** `region`: the stack's Region when the assembly names a concrete one. */
export type Stack = { name: string; file: string; resources: Resource[]; region?: string };
/** What the infrastructure checks read: every stack's resources, and the cdk-nag evidence when from a CDK assembly. */
export type Infrastructure = {
  stacks: Stack[];
  /** the policy validation report of the assembly; undefined for plain templates */
  validation?: { violations: { pluginName: string; ruleName: string; resource: string }[] };
  /** rules acknowledged in the assembly (cdk-nag `Validations.acknowledge`), by finding id prefix */
  acknowledged: string[];
};

/**
 * CloudFormation's short-form intrinsic functions (`!Ref x`, `!GetAtt a.b`, `!Sub ...`) read as the
 * long form, so a YAML template reads like its JSON twin. The yaml package does the parsing.
 */
const INTRINSICS = ["And", "Base64", "Cidr", "Condition", "Equals", "FindInMap", "GetAZs", "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "GetAtt", "Ref"];
const CFN_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => {
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const wrap = (value: unknown) => ({ [key]: name === "GetAtt" && typeof value === "string" ? value.split(".") : value });
  return [
    { tag: `!${name}`, resolve: (value: string) => wrap(value) } as ScalarTag,
    { tag: `!${name}`, collection: "seq", resolve: (seq: { toJSON: () => unknown }) => wrap(seq.toJSON()) } as unknown as CollectionTag,
    { tag: `!${name}`, collection: "map", resolve: (map: { toJSON: () => unknown }) => wrap(map.toJSON()) } as unknown as CollectionTag,
  ];
});

/** A CloudFormation template, JSON or YAML (short-form tags included). */
export function readTemplate(file: string, stack = file): Stack {
  const text = readTextFile(file);
  const doc = parseDocument(text, { customTags: CFN_TAGS, uniqueKeys: false });
  if (doc.errors.length > 0) throw new UserError(`${file}: not a valid JSON or YAML template: ${doc.errors[0]!.message.split("\n")[0]}`);
  const data = doc.toJS({ maxAliasCount: 100 }) as { Resources?: Record<string, { Type?: unknown; Properties?: unknown; Metadata?: unknown }> } | null;
  if (data === null || typeof data !== "object" || data.Resources === undefined || typeof data.Resources !== "object")
    throw new UserError(`${file}: has no Resources; expected a CloudFormation template`);
  const resources = Object.entries(data.Resources).map(([logicalId, r]) => {
    if (r === null || typeof r !== "object" || typeof r.Type !== "string") throw new UserError(`${file} › Resources.${logicalId}: expected a resource with a Type`);
    return { logicalId, type: r.Type, properties: (r.Properties ?? {}) as Record<string, unknown>, metadata: (r.Metadata ?? {}) as Record<string, unknown>, file, stack };
  });
  return { name: stack, file, resources };
}

/**
 * A CDK cloud assembly (`cdk.out`): every stack the manifest lists, the nested stacks their
 * templates name (by the asset path in their metadata), the policy validation report, and the
 * acknowledged cdk-nag findings of the stacks' metadata.
 */
export function readAssembly(dir: string): Infrastructure {
  const manifestFile = join(dir, "manifest.json");
  if (!existsSync(manifestFile)) throw new UserError(`${dir}: has no manifest.json; expected a CDK cloud assembly (the cdk.out folder that \`cdk synth\` writes)`);
  const manifest = JSON.parse(readTextFile(manifestFile)) as { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string }; metadata?: Record<string, { type: string; data?: unknown }[]> }> };
  const stacks: Stack[] = [];
  const acknowledged: string[] = [];
  for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== "aws:cloudformation:stack" || artifact.properties?.templateFile === undefined) continue;
    const region = /^aws:\/\/[^/]+\/([a-z]{2}(-[a-z]+)+-\d)$/.exec(artifact.environment ?? "")?.[1];
    const stack = { ...readTemplate(join(dir, artifact.properties.templateFile), name), ...(region ? { region } : {}) };
    stacks.push(stack);
    for (const nested of nestedStacks(stack, dir)) stacks.push(region ? { ...nested, region } : nested);
    const metadataFile = join(dir, `${name}.metadata.json`);
    const metadata = artifact.metadata ?? (existsSync(metadataFile) ? (JSON.parse(readTextFile(metadataFile)) as Record<string, { type: string; data?: unknown }[]>) : {});
    const acks: [string, { id: string; reason: string }[]][] = [];
    const logicalIds = new Map<string, string>();
    for (const [path, entries] of Object.entries(metadata))
      for (const e of entries) {
        if (e.type === "aws:cdk:logicalId" && typeof e.data === "string") logicalIds.set(e.data, path);
        if (e.type === "aws:cdk:acknowledged-rules" && e.data && typeof e.data === "object") {
          acknowledged.push(...Object.keys(e.data));
          acks.push([path, Object.entries(e.data as Record<string, unknown>).map(([id, reason]) => ({ id: id.replace(/^Annotation::/, ""), reason: String(reason) }))]);
        }
      }
    // each resource gets the acknowledgements made on its construct or on one above it
    for (const r of stacks.filter((x) => x.name === name || x.name.startsWith(`${name}/`)).flatMap((x) => x.resources)) {
      const path = logicalIds.get(r.logicalId);
      if (path === undefined) continue;
      const found = acks.filter(([at]) => path === at || path.startsWith(`${at}/`)).flatMap(([, list]) => list);
      if (found.length > 0) r.acknowledged = found;
    }
  }
  if (stacks.length === 0) throw new UserError(`${dir}: its manifest lists no CloudFormation stack`);
  const reportFile = join(dir, "validation-report.json");
  const validation = existsSync(reportFile) ? readValidationReport(reportFile) : undefined;
  return { stacks, ...(validation ? { validation } : {}), acknowledged };
}

/**
 * The nested stacks a stack's template names, found by the asset path in the resource's metadata
 * (the CDK CLI asks for it), or else by the asset hash in its TemplateURL, looked up in the
 * assembly's asset manifests (an app synthesized without the CLI has no asset metadata).
 */
function nestedStacks(parent: Stack, dir: string, assets = assetPaths(dir)): Stack[] {
  const out: Stack[] = [];
  for (const r of parent.resources) {
    if (r.type !== "AWS::CloudFormation::Stack") continue;
    const url = JSON.stringify(r.properties.TemplateURL ?? "");
    const asset = r.metadata["aws:asset:path"] ?? [...assets].find(([hash]) => url.includes(hash))?.[1];
    if (typeof asset !== "string" || !existsSync(join(dir, asset))) continue;
    const nested = readTemplate(join(dir, asset), `${parent.name}/${r.logicalId}`);
    out.push(nested, ...nestedStacks(nested, dir, assets));
  }
  return out;
}

/** Asset hash → file in the assembly, from every `*.assets.json` of the assembly. */
function assetPaths(dir: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".assets.json"))) {
    const manifest = JSON.parse(readTextFile(join(dir, file))) as { files?: Record<string, { source?: { path?: string } }> };
    for (const [hash, asset] of Object.entries(manifest.files ?? {})) if (asset.source?.path?.endsWith(".template.json")) paths.set(hash, asset.source.path);
  }
  return paths;
}

function readValidationReport(file: string): Infrastructure["validation"] {
  const report = JSON.parse(readTextFile(file)) as { pluginReports?: { pluginName?: string; violations?: { ruleName?: string; severity?: string; violatingResources?: { resourceLogicalId?: string }[] }[] }[] };
  // a warning (aws-cdk-lib's own annotations, a pack's warning-level rules) does not fail a synth, so it is no unmet finding
  const violations = (report.pluginReports ?? []).flatMap((p) =>
    (p.violations ?? [])
      .filter((v) => v.severity === undefined || v.severity.toLowerCase() === "error")
      .flatMap((v) => (v.violatingResources ?? [{}]).map((r) => ({ pluginName: p.pluginName ?? "", ruleName: v.ruleName ?? "", resource: r.resourceLogicalId ?? "" }))),
  );
  return { violations };
}

/** Plain templates given with --template: one stack each. */
export function readTemplates(files: readonly string[]): Infrastructure {
  return { stacks: files.map((f) => readTemplate(f, relative(process.cwd(), f) || f)), acknowledged: [] };
}

/** Whether a path is a folder (an assembly) rather than a file. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new UserError(`${path}: does not exist`);
  }
}

