import Handlebars from "handlebars";

export type Render = (template: string, context: object, name: string) => string;

/**
 * One isolated Handlebars instance with our helpers. Templates compile with `strict: true`, so a
 * missing field fails loudly, and without HTML escaping: the output is code and Markdown, and every
 * value that reaches it is validated (kebab-case names) or escaped by a helper for its target.
 */
export function createRenderer(): Render {
  const hb = Handlebars.create();
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
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  return (template, context, name) => {
    let compiled = cache.get(template);
    if (!compiled) {
      compiled = hb.compile(template, { strict: true, noEscape: true });
      cache.set(template, compiled);
    }
    try {
      return compiled(context);
    } catch (error) {
      throw new Error(`template ${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
}

/** `acme-shop` -> `AcmeShop`. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}
