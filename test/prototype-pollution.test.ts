import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPatternFolder } from "../src/catalog/read-folder.ts";
import { parseDataText, readDataFile } from "../src/data-file.ts";
import { UserError, type Problem } from "../src/errors.ts";
import { setPath } from "../src/requirements/fields.ts";
import { draftRequirements, finishRequirements } from "../src/requirements/resolve.ts";

/**
 * `__proto__` and `constructor` keys in any input must be refused or kept as plain data, and must
 * never reach a prototype: after every hostile input below, in this very process, `{}` and `[]`
 * have no new properties.
 */
const prototypes = { object: Object.prototype, array: Array.prototype, function: Function.prototype, string: String.prototype };
const before = Object.fromEntries(Object.entries(prototypes).map(([k, p]) => [k, Object.getOwnPropertyNames(p).sort()]));

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.create(null) as Record<string, unknown>).polluted).toBeUndefined();
  for (const [k, p] of Object.entries(prototypes)) expect(Object.getOwnPropertyNames(p).sort(), k).toEqual(before[k]);
}

afterAll(expectNoPollution);

const PROTO_TEXTS: readonly [name: string, text: string][] = [
  ["a top-level __proto__ mapping", "workload: [api]\n__proto__:\n  polluted: true\n"],
  ["a nested __proto__ mapping", "workload: [api]\ntraffic:\n  __proto__:\n    polluted: true\n"],
  ["__proto__ inside a list item", "workload: [api]\ncompliance:\n  - __proto__: {polluted: true}\n"],
  ["a quoted __proto__ key", 'workload: [api]\n"__proto__": {polluted: true}\n'],
  ["__proto__ through an alias", "workload: [api]\nx: &p {polluted: true}\n__proto__: *p\n"],
  ["__proto__ in a would-be merge key", "workload: [api]\n<<: {__proto__: {polluted: true}}\n"],
  ["__proto__ in JSON", '{"workload": ["api"], "__proto__": {"polluted": true}}'],
  ["__proto__ nested in JSON", '{"workload": ["api"], "data": {"__proto__": {"polluted": true}}}'],
];

describe("__proto__ keys", () => {
  it.each(PROTO_TEXTS)("%s is refused by name, with its line, and pollutes nothing", (_, text) => {
    let message = "";
    try {
      parseDataText(text, "hostile.yaml");
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      message = error.message;
    }
    expect(message).toMatch(/^hostile\.yaml › (.+\.)?__proto__ \(line \d+\): is not allowed as a key$/m);
    expectNoPollution();
  });

  it("in a --patterns file is refused the same way, even inside a rule's `when`", () => {
    const dir = mkdtempSync(join(tmpdir(), "proto-patterns-"));
    writeFileSync(join(dir, "sneaky.yaml"), "id: sneaky\nfit:\n  rules:\n    - when:\n        __proto__: {polluted: true}\n        team.size: {lte: 3}\n");
    const problems: Problem[] = [];
    expect(readPatternFolder(dir, problems)).toEqual([]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/sneaky\.yaml › fit\.rules\[0\]\.when\.__proto__ \(line 5\): is not allowed as a key/);
    expectNoPollution();
  });
});

describe("constructor and prototype keys", () => {
  it("are plain unknown keys: named in the problem, never followed", () => {
    const dir = mkdtempSync(join(tmpdir(), "ctor-"));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "ctor.yaml");
    writeFileSync(file, "workload: [api]\nconstructor:\n  prototype:\n    polluted: true\nprototype:\n  polluted: true\n");
    const source = readDataFile(file);
    // as data they are own properties of a plain object, nothing more
    expect(Object.getPrototypeOf(source.data)).toBe(Object.prototype);
    expect(Object.hasOwn(source.data as object, "constructor")).toBe(true);
    let message = "";
    try {
      finishRequirements(draftRequirements(file, {}));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      message = error.message;
    }
    expect(message).toContain("ctor.yaml › constructor (line 2): unknown key");
    expect(message).toContain("ctor.yaml › prototype (line 5): unknown key");
    expectNoPollution();
  });

  it("setPath writes own properties even for __proto__ and constructor paths", () => {
    const data: Record<string, unknown> = {};
    setPath(data, "__proto__.polluted", true);
    setPath(data, "constructor.prototype.polluted", true);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data).sort()).toEqual(["__proto__", "constructor"]);
    expectNoPollution();
  });
});
