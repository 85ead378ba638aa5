import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseWithYaml } from "../src/data-file.ts";
import { UserError } from "../src/errors.ts";
import { quickParseYaml } from "../src/quick-yaml.ts";

/**
 * The quick reader may decline any text (the yaml package then reads it), but what it accepts it
 * must read exactly as the yaml package and our checks do: the same data, key order included, and
 * never a text that the slow path refuses.
 */
function agrees(text: string): "quick" | "declined" {
  const quick = quickParseYaml(text);
  if (quick === undefined) return "declined";
  let slow: unknown;
  try {
    slow = parseWithYaml(text, "doc.yaml").data;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect.fail(`the quick reader accepts a text the yaml package refuses (${error.message}):\n${text}`);
  }
  if (!isDeepStrictEqual(quick, slow) || JSON.stringify(quick) !== JSON.stringify(slow))
    expect.fail(`the quick reader reads differently:\n${text}\nquick: ${JSON.stringify(quick)}\nyaml:  ${JSON.stringify(slow)}`);
  return "quick";
}

/** Every YAML and JSON file of the repository's own, outside node_modules. */
function corpus(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name.startsWith(".") || name === "dist") continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(name)) found.push({ file: path, text: readFileSync(path, "utf8") });
    }
  };
  for (const dir of ["patterns", "examples", "test", "templates"]) walk(dir);
  return found;
}

const CORPUS = corpus();

describe("quickParseYaml", () => {
  it("reads every built-in pattern and example itself, so the common case never needs the yaml package", () => {
    const common = CORPUS.filter((c) => /^(patterns|examples)\//.test(c.file) && c.file.endsWith(".yaml"));
    expect(common.length).toBeGreaterThan(17);
    for (const { file, text } of common) expect(agrees(text), file).toBe("quick");
  });

  it("agrees with the yaml package on every YAML and JSON file in the repository", () => {
    let quick = 0;
    for (const { text } of CORPUS) if (agrees(text) === "quick") quick++;
    expect(quick).toBeGreaterThan(CORPUS.length / 3);
  });

  it("agrees on damaged copies of real files", () => {
    const texts = CORPUS.filter((c) => c.text.length < 20_000).map((c) => c.text);
    const edits = fc.constantFrom(" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", '"', "\n", "\n  ", "[", "]", "{", "}", ",", "|", ">", "|-", "&a ", "*a", "!", "\\", "\\u00e9", "0x1F", ".inf", "~", "null", "True", "é", "\t", "\r");
    const damaged = fc
      .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), edits), { minLength: 1, maxLength: 3 }))
      .map(([text, changes]) => {
        let out = text;
        for (const [at, remove, insert] of changes) {
          const i = at % (out.length + 1);
          out = out.slice(0, i) + insert + out.slice(i + remove);
        }
        return out;
      });
    fc.assert(fc.property(damaged, (text) => void agrees(text)), { numRuns: 3_000 });
  });

  it("agrees on generated documents in every style it reads, and many it declines", () => {
    fc.assert(fc.property(document, (text) => void agrees(text)), { numRuns: 3_000 });
  });

  it("reads the block, flow and scalar styles of real files itself", () => {
    const text = [
      "# a comment",
      "name: shop   # trailing comment",
      "$schema: ./schema.json",
      "plain: it's C# and a:b, not a map",
      "numbers: [0, -7, +3, 007, 0o17, 0x1F, 1.50, .5, 1e3, -.inf, .NaN, 2026-11, 1_000]",
      "words: { yes: yes, no: No, off: ~, on: null, t: True, f: FALSE, e: '' }",
      'quoted: ["a \\"b\\" \\\\ \\u00e9 \\/ \\ud83d\\ude00", \'it\'\'s\', "#not a comment"]',
      "folded: >-",
      "  one",
      "  # two",
      "literal: |",
      "  first",
      "",
      "    indented",
      "list:",
      "- a",
      "- - b",
      "  - c",
      "- k: v",
      "  j:",
      "    - x",
      "-",
      "  deep: { a: [1, [2, {}]], b: [] }",
      "nothing:",
      "",
    ].join("\n");
    expect(agrees(text)).toBe("quick");
    expect(quickParseYaml(text)).toMatchObject({
      plain: "it's C# and a:b, not a map",
      numbers: [0, -7, 3, 7, 15, 31, 1.5, 0.5, 1000, -Infinity, NaN, "2026-11", "1_000"],
      quoted: ['a "b" \\ é / 😀', "it's", "#not a comment"],
      words: { yes: "yes", no: "No", off: null, on: null, t: true, f: false, e: "" },
      folded: "one # two",
      literal: "first\n\n  indented\n",
      list: ["a", ["b", "c"], { k: "v", j: ["x"] }, { deep: { a: [1, [2, {}]], b: [] } }],
      nothing: null,
    });
  });

  it("declines what it leaves to the yaml package", () => {
    for (const text of [
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: 1\na: 2\n",
      "__proto__: 1\n",
      "true: 1\n",
      "a: b\n  c\n",
      'a: "b\n  c"\n',
      "a: |+\n  b\n",
      "a: |2\n   b\n",
      "%YAML 1.2\n---\na: 1\n",
      "a: 1\n---\nb: 2\n",
      '{"a": 1}\n',
      "- a\n",
      "  a: 1\n",
      "a: [1,\n  2]\n",
      "a:\tb\n",
      "a: 1\r\n",
      "? a\n: b\n",
      "a: [b,]\n",
      "# only a comment\n",
    ])
      expect(quickParseYaml(text), JSON.stringify(text)).toBeUndefined();
  });
});

// --- generated documents --------------------------------------------------------------------------

/** Scalars that the core schema reads in every way: numbers, nulls, booleans, and look-alikes. */
const SCALARS = [
  "a", "text with spaces", "C#", "a #b", "a: b", "a:b", "a:", "-a", "- a", "-", "?", "? a", ":", ":a", "#", "x # y",
  "0", "-0", "+0", "007", "0o17", "0o8", "0x1F", "0xG", "1_000", "1.5", "1.50", ".5", "5.", "+.5", "1e3", "1E-3", ".1e+2", "1e", "e3",
  ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "nan", "inf", "~", "null", "Null", "NULL", "nULL", "", " ", "true", "True", "TRUE", "tRUE",
  "yes", "No", "on", "2026-11", "2026-11-21", "12:30", "1:2", "http://x.y/z", "[a]", "{a: b}", "a, b", "a]", "'q'", '"q"', "it's", 'say "hi"',
  "|", ">", "&a", "*a", "!x", "%x", "@x", "`x`", "é", "😀", "\\", "a\\nb", "tab\there", "trailing ", " leading", "a  b", "line\nbreak", "two\n\nbreaks\n", "space \nat the end", "bell\u0007", "nul\u0000", "\u00a0nbsp", "wide\u3000space", "lone\ud800",
  "__proto__", "constructor", "1", "$x", "a.b", "a/b",
];
const KEYS = ["a", "b", "name", "$schema", "a-b", "a.b", "a_b", "x1", "constructor"];
const ODD_KEYS = ["true", "Null", "1", "__proto__", "a b", "-a", "é", "#k", "k:", "'q'"];
const key = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) });

type Value = string | Value[] | { [key: string]: Value };

const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...SCALARS),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** Ways to write a scalar; some are wrong for some scalars, which is the point. */
type ScalarStyle = "plain" | "single" | "double" | "literal" | "folded" | "literal-strip" | "folded-strip";
const STYLES: ScalarStyle[] = ["plain", "single", "double", "literal", "folded", "literal-strip", "folded-strip"];

/** Serializes `value` as YAML, picking each node's style from `choices`. */
function serialize(root: { [key: string]: Value }, choices: number[], indentStep: number, comments: boolean): string {
  let c = 0;
  const pick = (n: number) => choices[c++ % choices.length]! % n;
  const scalar = (s: string, at: number, flow: boolean): string[] => {
    const style = flow ? STYLES[pick(3)]! : STYLES[pick(STYLES.length)]!;
    switch (style) {
      case "plain":
        return [s];
      case "single":
        return [`'${s.replaceAll("'", "''")}'`];
      case "double":
        return [JSON.stringify(s)];
      default: {
        const pad = " ".repeat(at + indentStep);
        const head = `${style.startsWith("literal") ? "|" : ">"}${style.endsWith("strip") ? "-" : ""}`;
        return [head, ...s.split("\n").map((line) => (line === "" ? "" : pad + line))];
      }
    }
  };
  const flowText = (v: Value): string => {
    if (typeof v === "string") return scalar(v, 0, true)[0]!;
    if (Array.isArray(v)) return `[${v.map(flowText).join(", ")}]`;
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${flowText(x)}`).join(", ")} }`;
  };
  const block = (v: Value, at: number): string[] => {
    const pad = " ".repeat(at);
    if (typeof v === "string") return scalar(v, at, false);
    const entries: [string, Value][] = Array.isArray(v) ? v.map((x) => ["-", x]) : Object.entries(v);
    if (entries.length === 0 || pick(4) === 0) return [flowText(v)];
    const lines: string[] = [];
    for (const [k, x] of entries) {
      const lead = Array.isArray(v) ? "- " : `${k}: `;
      if (comments && pick(5) === 0) lines.push(`${pad}# note`);
      const inner = typeof x === "object" && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0) && pick(3) > 0;
      if (inner) {
        const sameIndentList = Array.isArray(x) && !Array.isArray(v) && pick(2) === 0;
        const childAt = sameIndentList ? at : at + indentStep;
        lines.push(`${pad}${lead.trimEnd()}`, ...block(x, childAt).map((l) => (l.startsWith(" ".repeat(childAt)) || l === "" ? l : " ".repeat(childAt) + l)));
      } else {
        // a list's item starts on the dash's line (`- k: v` with the rest below it); a key's value must then be flow
        const filled = typeof x === "object" && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0);
        const [first, ...rest] = !filled ? block(x, at) : Array.isArray(v) ? block(x, at + 2) : [flowText(x)];
        lines.push(`${pad}${lead}${first!.trimStart()}${comments && pick(6) === 0 ? " # why" : ""}`, ...rest);
      }
    }
    return lines;
  };
  return `${block(root, 0).join("\n")}\n`;
}

const document = fc
  .tuple(
    fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }),
    fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 40 }),
    fc.constantFrom(2, 2, 4, 1),
    fc.boolean(),
  )
  .map(([root, choices, step, comments]) => serialize(root, choices, step, comments));
