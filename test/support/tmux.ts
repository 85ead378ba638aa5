import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** True when tmux can give the tests a real pseudo-terminal. */
export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

/** One detached tmux session running a shell command in a real pseudo-terminal. */
export type Terminal = {
  /** the visible screen (and scrollback), wrapped lines joined */
  screen: () => string;
  /** waits until the screen matches; fails with the screen when it does not in time */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  /** tmux key names: Enter, Down, Space, C-u, C-c */
  keys: (...names: string[]) => void;
  /** literal text */
  type: (text: string) => void;
  close: () => void;
};

export function openTerminal(name: string, command: string, size = { x: 160, y: 50 }): Terminal {
  const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
  tmux("new-session", "-d", "-s", name, "-x", String(size.x), "-y", String(size.y), command);
  const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", name);
  return {
    screen,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    keys: (...names) => void tmux("send-keys", "-t", name, ...names),
    type: (text) => void tmux("send-keys", "-t", name, "-l", text),
    close: () => void spawnSync("tmux", ["kill-session", "-t", name]),
  };
}

/** The content the shell wrote to `file` once the command ended (its exit code, say). */
export async function contentOnceWritten(file: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file) || readFileSync(file, "utf8") === "") {
    if (Date.now() > deadline) throw new Error(`${file} was not written: the command did not end`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return readFileSync(file, "utf8").trim();
}
