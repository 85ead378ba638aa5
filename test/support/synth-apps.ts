// Synthesizes several generated CDK apps in one process, as `cdk synth` would (the app's cdk.json
// context, validation plugins on), writing each app's assembly to <app>/cdk.out. Loading
// aws-cdk-lib once for many apps is what makes the suite's scaffold matrix affordable.
//
//   tsx test/support/synth-apps.ts <app dir>...
//
// Prints one JSON line per app: { dir, ok, error? }. A failed synth (a cdk-nag error, say) is
// reported, not thrown, and the next app still runs.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { App } from "aws-cdk-lib";

for (const arg of process.argv.slice(2)) {
  const dir = resolve(arg);
  try {
    const { context } = JSON.parse(readFileSync(join(dir, "cdk.json"), "utf8")) as { context: Record<string, unknown> };
    const { buildApp } = (await import(pathToFileURL(join(dir, "lib", "app.ts")).href)) as { buildApp: (app: App) => { app: App } };
    buildApp(new App({ outdir: join(dir, "cdk.out"), context })).app.synth();
    console.log(JSON.stringify({ dir, ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ dir, ok: false, error: error instanceof Error ? error.message.slice(0, 4000) : String(error) }));
  }
}
