import { spawn } from "node:child_process";

export type CliRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number };

/**
 * Runs the built CLI asynchronously, as a user would, and collects what it printed. stdin is
 * /dev/null unless told otherwise. A run still going after `timeoutMs` is killed (and then shows
 * signal SIGKILL), so a hang fails the test instead of stalling it.
 */
export function runCli(
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    /** "ignore" is /dev/null; "pipe" an open pipe nobody writes to; "closed" no fd 0 at all; a number, that fd */
    stdin?: "ignore" | "pipe" | "closed" | number;
    timeoutMs?: number;
    bin?: string;
  } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const argv = [options.bin ?? "bin/aws-patterns.js", ...args];
    // a shell closes fd 0 (`<&-`) before node starts, which spawn's stdio options cannot express
    const [command, commandArgs] =
      options.stdin === "closed" ? ["/bin/sh", ["-c", 'exec "$0" "$@" <&-', process.execPath, ...argv]] : [process.execPath, argv];
    const child = spawn(command, commandArgs, {
      stdio: [options.stdin === "closed" ? "ignore" : (options.stdin ?? "ignore"), "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, AWS_PATTERNS_DEBUG: undefined, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs `jobs` with at most `limit` of them at a time; results in the order of the jobs. */
export async function inPool<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
