import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { AssetHashType, DockerImage } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";

export interface SharpLayerProps {
  /** Architecture of the functions that use the layer: it decides which prebuilt binary is packed. */
  readonly architecture: lambda.Architecture;
  /**
   * Folders searched, in order, for an installed sharp (their node_modules and those above them).
   * Default: the app's root, then `.sharp-linux` in it (see the README for hosts other than Linux x64).
   */
  readonly searchFrom?: readonly string[];
}

/** One installed package of the layer. */
interface Installed {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

/**
 * The image library sharp and its prebuilt libvips for Linux (glibc) on the functions' architecture,
 * as a Lambda layer (`/opt/nodejs/node_modules`), copied at synth from the packages npm installed:
 * no Docker, no network. The functions bundle their own code with esbuild and keep `sharp` external.
 * The asset's hash is the packages' versions and the target, so a synth copies them only when they change.
 */
export class SharpLayer extends lambda.LayerVersion {
  /** the packages in the layer, with their versions */
  readonly packages: readonly { name: string; version: string }[];

  constructor(scope: Construct, id: string, props: SharpLayerProps) {
    const cpu = props.architecture === lambda.Architecture.ARM_64 ? "arm64" : "x64";
    const appRoot = path.join(__dirname, "..", "..");
    const installed = findSharp(props.searchFrom ?? [appRoot, path.join(appRoot, ".sharp-linux")], cpu);
    const sharpVersion = installed[0]!.version;
    super(scope, id, {
      description: `sharp ${sharpVersion} with libvips for linux-${cpu} (glibc), from the app's node_modules`,
      compatibleArchitectures: [props.architecture],
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X],
      code: lambda.Code.fromAsset(installed[0]!.dir, {
        assetHashType: AssetHashType.CUSTOM,
        assetHash: createHash("sha256")
          .update(JSON.stringify({ layout: 1, cpu, packages: installed.map(({ name, version }) => [name, version]) }))
          .digest("hex"),
        bundling: {
          // never pulled: the local step below always succeeds, so Docker is not needed
          image: DockerImage.fromRegistry("public.ecr.aws/docker/library/busybox"),
          local: {
            tryBundle(outputDir: string) {
              for (const pkg of installed) {
                const target = path.join(outputDir, "nodejs", "node_modules", pkg.name);
                mkdirSync(path.dirname(target), { recursive: true });
                // each package on its own: its dependencies sit beside it, never nested
                cpSync(pkg.dir, target, { recursive: true, dereference: true, filter: (source) => !path.relative(pkg.dir, source).split(path.sep).includes("node_modules") });
              }
              return true;
            },
          },
        },
      }),
    });
    this.packages = installed.map(({ name, version }) => ({ name, version }));
  }
}

/**
 * sharp, its JavaScript dependencies and the two packages with its native code for linux-<cpu>:
 * from the first folder where all of them are installed, at the versions sharp asks for.
 */
export function findSharp(searchFrom: readonly string[], cpu: "x64" | "arm64"): Installed[] {
  const problems: string[] = [];
  for (const from of searchFrom) {
    const sharp = findPackage("sharp", from);
    if (!sharp) {
      problems.push(`${from}: sharp is not installed`);
      continue;
    }
    const found: Installed[] = [];
    const missing: string[] = [];
    const add = (name: string, fromDir: string, wanted?: string) => {
      if (found.some((p) => p.name === name)) return;
      const pkg = findPackage(name, fromDir);
      // sharp pins its native packages to exact versions
      if (!pkg || (wanted !== undefined && pkg.version !== wanted)) {
        missing.push(`${name}${wanted ? `@${wanted}` : ""}${pkg ? ` (found ${pkg.version})` : ""}`);
        return;
      }
      found.push(pkg);
      for (const dep of Object.keys(manifest(pkg.dir).dependencies ?? {})) add(dep, pkg.dir);
    };
    add("sharp", from);
    const native = `@img/sharp-linux-${cpu}`;
    add(native, sharp.dir, manifest(sharp.dir).optionalDependencies?.[native]);
    const nativeDir = found.find((p) => p.name === native)?.dir;
    const libvips = `@img/sharp-libvips-linux-${cpu}`;
    if (nativeDir) add(libvips, nativeDir, manifest(nativeDir).optionalDependencies?.[libvips]);
    if (missing.length === 0) return found;
    problems.push(`${from}: missing ${missing.join(", ")}`);
  }
  throw new Error(
    `The sharp layer needs sharp's prebuilt binary for linux-${cpu}, which npm installs only on a Linux ${cpu} host (${problems.join("; ")}). ` +
      `On any other host run once: npm install --prefix .sharp-linux --no-save --os=linux --cpu=${cpu} --libc=glibc sharp@<the version in package.json>`,
  );
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules above it that holds it. */
function findPackage(name: string, fromDir: string): Installed | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (existsSync(path.join(candidate, "package.json"))) return { name, version: manifest(candidate).version, dir: candidate };
    if (path.dirname(dir) === dir) return undefined;
  }
}

function manifest(dir: string): { version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
}
