import { Argument, Command, Option } from "commander";
import { FIELDS, helpOf } from "./requirements/fields.ts";

/** Flags that change what gets written: never offered as a "did you mean" guess. */
const NEVER_SUGGESTED = ["--force"];

/** commander's messages in the CLI's one voice: `aws-patterns: ...`, and no guess at a flag that writes. */
export function voiced(text: string): string {
  let out = text.replace(/^error: /, "aws-patterns: ");
  for (const flag of NEVER_SUGGESTED) out = out.replace(new RegExp(`\\s*\\(Did you mean ${flag}\\?\\)`), "");
  return out;
}

/** Collects a repeatable option into a list. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The commander program. Each action is a lazy import plus one call, so a command loads only what
 * it uses. Errors are thrown, never turned into exit codes here (main.ts does that).
 */
export function buildProgram(version: string): Command {
  const program = new Command("aws-patterns")
    .description("Rank AWS design patterns against your requirements, explain every point, and scaffold the result.")
    .version(version, "-V, --version")
    .option("--patterns <dir>", "add or override catalog entries from a folder of YAML files (repeatable)", collect)
    .option("--debug", "show stack traces for internal errors (or set AWS_PATTERNS_DEBUG=1)")
    .option("--no-color", "plain output even on a terminal (NO_COLOR is honoured too)")
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(voiced(text)) });

  const advise = program
    .command("advise")
    .description("rank the catalog for your requirements and recommend a primary pattern plus complements")
    .option("-r, --requirements <file>", "requirements file (YAML or JSON); flags override it")
    .addOption(
      new Option("-f, --format <format>", "text (the terminal report), md (the design document), json, or the design as a picture: svg (AWS icons) or drawio (editable in diagrams.net); default: text on a terminal, md otherwise").choices(["text", "json", "md", "svg", "drawio"]),
    )
    .option("-o, --out <file>", "write the design document (or the --format json, svg or drawio output) to a file, atomically")
    .addOption(
      new Option("--diagrams <which>", "with --out FILE: the pictures written beside the document (doc.svg, shown in it, and doc.drawio): none, svg, drawio or all; default: svg").choices(["none", "svg", "drawio", "all"]),
    )
    .option("--no-input", "never prompt, even on a terminal")
    .option("--no-color", "plain output even on a terminal (NO_COLOR is honored too)")
    .option("--scaffold <dir>", "also write the recommended CDK app, tuned to the requirements, complements composed in")
    .option("--force", "with --scaffold: write into a non-empty folder, replacing only generated files")
    .option("--save <file>", "also write the requirements as stated (file, flags and answers merged) to a requirements file")
    .option("--verbose", "in the text report, every reason of every entry (as the JSON has them)");
  for (const field of FIELDS) {
    const spec = field.kind === "bool" ? `--${field.flag} [yes|no]` : `--${field.flag} <${field.kind === "set" || field.kind === "list" ? "list" : "value"}>`;
    advise.option(spec, helpOf(field));
  }
  advise.addHelpText(
    "after",
    `
Examples:
  aws-patterns advise                                    answer the questions on a terminal
  aws-patterns advise -r requirements.yaml --format json ranked advice for scripts
  aws-patterns advise -r requirements.yaml --rto 15m --out docs/adr/   record the decision as an ADR
  aws-patterns advise -r requirements.yaml --out design.md --diagrams all   also design.svg and design.drawio`,
  );
  advise.action(async (options: Record<string, unknown>) => {
    const { advise: run } = await import("./commands/advise.ts");
    await run({ ...options, patterns: program.opts().patterns } as Parameters<typeof run>[0], version);
  });

  program
    .command("list")
    .description("list the catalog, one line an entry")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: { format: string }) => {
      const { list } = await import("./commands/list.ts");
      await list({ ...options, patterns: program.opts().patterns });
    });

  program
    .command("show")
    .description("show one entry: problem, services, diagram, rationale, trade-offs, envelope")
    .argument("<id>", "catalog id (see `aws-patterns list`)")
    .addOption(
      new Option("-f, --format <format>", "output format; mermaid, svg (AWS icons) and drawio (editable in diagrams.net) print the diagram only").choices(["text", "json", "mermaid", "svg", "drawio"]).default("text"),
    )
    .action(async (id: string, options: { format: string }) => {
      const { show } = await import("./commands/show.ts");
      await show(id, { ...options, patterns: program.opts().patterns });
    });

  program
    .command("scaffold")
    .description("write a starter AWS CDK app (TypeScript) for one catalog entry")
    .argument("<id>", "catalog id (see `aws-patterns list`)")
    .option("-o, --out <dir>", "target folder (default: ./<name>)")
    .option("-n, --name <name>", "kebab-case app name (default: the id)")
    .option("--force", "write into a non-empty folder, replacing only generated files")
    .option("--dry-run", "list the files that would be written; write nothing")
    .option("-r, --requirements <file>", "tune the app to a requirements file (Multi-AZ, backups, replication, capacity, compliance packs)")
    .addHelpText(
      "after",
      `
Examples:
  aws-patterns scaffold serverless --name orders-api      a starter app in ./orders-api
  aws-patterns scaffold cache-aside --requirements requirements.yaml --out app   tuned to your requirements
  aws-patterns scaffold static-site --dry-run             list the files, write nothing`,
    )
    .action(async (id: string, options: { out?: string; name?: string; force?: boolean; dryRun?: boolean; requirements?: string }) => {
      const { scaffold } = await import("./commands/scaffold.ts");
      await scaffold(id, { ...options, patterns: program.opts().patterns }, version);
    });

  program
    .command("verify")
    .description("check that recorded decisions still fit their requirements and that the infrastructure still delivers them; exit 3 when not")
    .argument("[records...]", "design documents written by advise, or folders of them (records in force only)")
    .option("--assembly <dir>", "a CDK cloud assembly (cdk.out) to check, nested stacks included")
    .option("--template <file>", "a CloudFormation template (JSON or YAML) to check; repeatable", collect)
    .option("-r, --requirements <file>", "check against these requirements instead of the recorded ones")
    .addOption(new Option("-f, --format <format>", "text, json or sarif (SARIF 2.1.0 for code scanning)").choices(["text", "json", "sarif"]).default("text"))
    .option("--strict", "treat what could not be checked as a failure")
    .action(async (records: string[], options: { assembly?: string; template?: string[]; requirements?: string; format: string; strict?: boolean }) => {
      const { verify } = await import("./commands/verify.ts");
      await verify(records, { ...options, patterns: program.opts().patterns }, version);
    });

  program
    .command("diff")
    .description("how the advice moves between two requirements files or decision records: requirements, ranking, cost, verdicts")
    .argument("<before>", "requirements file (YAML or JSON) or a design document")
    .argument("<after>", "requirements file (YAML or JSON) or a design document")
    .addOption(new Option("-f, --format <format>", "text, md (for a pull-request comment) or json").choices(["text", "md", "json"]).default("text"))
    .action(async (before: string, after: string, options: { format: string }) => {
      const { diff } = await import("./commands/diff.ts");
      await diff(before, after, { ...options, patterns: program.opts().patterns });
    });

  program
    .command("init")
    .description("write a commented requirements file that `advise -r` accepts (default requirements.yaml)")
    .argument("[file]", "where to write it", "requirements.yaml")
    .option("--force", "replace an existing file")
    .addHelpText(
      "after",
      `
Examples:
  aws-patterns init                       write requirements.yaml here
  aws-patterns init shop.yaml --force     replace shop.yaml
  aws-patterns advise -r requirements.yaml   then rank the catalog with it`,
    )
    .action(async (file: string, options: { force?: boolean }) => {
      const { init } = await import("./commands/init.ts");
      init(file, options);
    });

  program
    .command("schema")
    .description("print the JSON Schema of the requirements file")
    .action(async () => {
      const { printSchema } = await import("./commands/schema.ts");
      printSchema();
    });

  program
    .command("completion")
    .description("print shell completion for bash, zsh or fish, from these same command definitions")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .action(async (shell: "bash" | "zsh" | "fish") => {
      const { completionFor } = await import("./commands/completion.ts");
      process.stdout.write(await completionFor(program, shell));
    });

  program
    .command("mcp")
    .description("serve the advisor to AI coding agents as Model Context Protocol tools on stdin and stdout")
    .option("--root <dir>", "the folder the tools may read and write in (default: the working folder)")
    .addHelpText(
      "after",
      `
Tools: list_patterns, show_pattern, requirements_schema, advise, scaffold, verify, diff.
Resources: each catalog entry's YAML, at aws-patterns://patterns/<id>.
It runs until stdin ends. Logs go to stderr; stdout carries protocol messages only.

Examples:
  aws-patterns mcp                        serve in this folder (an MCP client starts it)
  aws-patterns mcp --root ~/work/shop     read and write only inside ~/work/shop
  aws-patterns --patterns ./patterns mcp  serve your own catalog entries too`,
    )
    .action(async (options: { root?: string }) => {
      const { mcp } = await import("./commands/mcp.ts");
      const debug = program.opts().debug === true || process.env.AWS_PATTERNS_DEBUG === "1";
      await mcp({ ...options, patterns: program.opts().patterns, debug }, version);
    });

  for (const command of program.commands) command.exitOverride().showSuggestionAfterError(true).configureOutput({ outputError: (text, write) => write(voiced(text)) });
  return program;
}
