import { createRequire } from "node:module";
import type FullHandlebars from "handlebars";
import Runtime from "handlebars/runtime";
import { InternalError } from "../errors.ts";

/** Set by the build: the folder, next to the bundle, of templates precompiled at build time. */
declare const __PRECOMPILED_TEMPLATES__: string | undefined;

/**
 * A template: the spec the build precompiled it into (the built CLI has nothing else), or its text,
 * compiled on first use (runs from source, and tests that render their own templates).
 */
export type Template = string | TemplateSpecification;
export type Render = (template: Template, context: object, name: string) => string;

/**
 * Templates compile with `strict: true`, so a missing field fails loudly, and without HTML escaping:
 * the output is code and Markdown, and every value that reaches it is validated (kebab-case names)
 * or escaped by a helper for its target. The build precompiles with the same options.
 */
export const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

/**
 * A renderer with our helpers, on an isolated Handlebars instance: the small runtime for
 * precompiled templates, the compiler (loaded only then) for template text.
 */
export function createRenderer(): Render {
  let runtime: typeof Runtime | undefined;
  let compiler: typeof FullHandlebars | undefined;
  const cache = new Map<Template, HandlebarsTemplateDelegate>();
  return (template, context, name) => {
    let compiled = cache.get(template);
    if (!compiled) {
      if (typeof template === "string") {
        compiler ??= withHelpers(loadCompiler(name).create());
        compiled = compiler.compile(template, COMPILE_OPTIONS);
      } else {
        runtime ??= withHelpers(Runtime.create());
        compiled = runtime.template(template);
      }
      cache.set(template, compiled);
    }
    try {
      return compiled(context);
    } catch (error) {
      throw new Error(`template ${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
}

/** The Handlebars compiler, from node_modules: the built CLI precompiles every template and ships without it. */
function loadCompiler(name: string): typeof FullHandlebars {
  if (typeof __PRECOMPILED_TEMPLATES__ === "string") throw new InternalError(`template ${name} was not precompiled by the build`);
  return createRequire(import.meta.url)("handlebars") as typeof FullHandlebars;
}

function withHelpers<T extends typeof Runtime>(hb: T): T {
  hb.registerHelper("pascal", (text: unknown) => pascalCase(String(text)));
  hb.registerHelper("json", (value: unknown) => JSON.stringify(value, null, 2));
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  // a Markdown table cell: pipes escaped, line breaks folded
  hb.registerHelper("cell", (value: unknown) => String(value ?? "").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " "));
  // one line of prose or a code comment: line breaks folded, a block-comment end defused
  hb.registerHelper("oneLine", (value: unknown) => String(value ?? "").replace(/\s+/g, " ").replace(/\*\//g, "* /").trim());
  hb.registerHelper("signed", (n: unknown) => (Number(n) > 0 ? `+${Number(n)}` : String(n)));
  hb.registerHelper("lowerFirst", (text: unknown) => {
    const s = String(text);
    // keep acronyms and product names (AWS, API, DynamoDB) as they are
    return /^[A-Z]([a-z]|\s)/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
  });
  hb.registerHelper("includes", (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  return hb;
}

/** `acme-shop` -> `AcmeShop`. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}
