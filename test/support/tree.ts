import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every file under a folder, by relative path, with its content. */
export type Tree = Record<string, string>;

export function snapshot(root: string): Tree {
  const tree: Tree = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else tree[path] = readFileSync(join(root, path), "utf8");
    }
  };
  walk("");
  return tree;
}
