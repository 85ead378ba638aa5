import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VIEWER_REQUEST_FILE, viewerRequestCode, type EdgeConfig } from "../lib/edge-code";

type Value = { value: string; multiValue?: { value: string }[] };
type Request = { uri: string; headers: Record<string, Value>; querystring: Record<string, Value> };
type Response = { statusCode: number; headers: Record<string, Value> };

/**
 * Runs the function text the stack deploys, with the CloudFront runtime's `cloudfront` module replaced
 * by a key value store held in a Map (a missing key throws, as in the real runtime).
 */
function edge(config: EdgeConfig, redirects: Record<string, string> = {}) {
  const source = viewerRequestCode(config).replace(/^import cf from 'cloudfront';$/m, "");
  const cf = {
    kvs: () => ({
      get: async (key: string) => {
        if (!(key in redirects)) throw new Error(`key ${key} not found`);
        return redirects[key];
      },
    }),
  };
  const handler = new Function("cf", `${source}\nreturn handler;`)(cf) as (event: { request: Request }) => Promise<Request | Response>;
  return (uri: string, host = "example.com", querystring: Record<string, Value> = {}) => handler({ request: { uri, headers: { host: { value: host } }, querystring } });
}

describe("the viewer-request function", () => {
  it("is deployed with the stack's settings filled in, and nothing else changed", () => {
    const code = viewerRequestCode({ canonicalHost: "example.com", spa: true });
    expect(code).toContain('const CONFIG = {"canonicalHost":"example.com","spa":true};');
    expect(code.split("\n").length).toBe(readFileSync(VIEWER_REQUEST_FILE, "utf8").split("\n").length);
    expect(() => viewerRequestCode({ canonicalHost: "", spa: false }, "async function handler() {}")).toThrow(/no "const CONFIG/);
  });

  it("serves a directory's index.html and leaves files alone", async () => {
    const run = edge({ canonicalHost: "", spa: false });
    expect(await run("/")).toMatchObject({ uri: "/index.html" });
    expect(await run("/docs/")).toMatchObject({ uri: "/docs/index.html" });
    expect(await run("/docs/intro")).toMatchObject({ uri: "/docs/intro/index.html" });
    expect(await run("/assets/app.3f2a.js")).toMatchObject({ uri: "/assets/app.3f2a.js" });
  });

  it("in single-page-app mode sends routes to /index.html but keeps missing files missing", async () => {
    const run = edge({ canonicalHost: "", spa: true });
    expect(await run("/orders/42")).toMatchObject({ uri: "/index.html" });
    expect(await run("/assets/missing.css")).toMatchObject({ uri: "/assets/missing.css" });
  });

  it("redirects other host names to the canonical one, keeping path and query", async () => {
    const run = edge({ canonicalHost: "example.com", spa: false });
    const response = (await run("/pricing/", "www.example.com", { ref: { value: "mail" } })) as Response;
    expect(response.statusCode).toBe(301);
    expect(response.headers.location!.value).toBe("https://example.com/pricing/?ref=mail");
    expect(await run("/pricing/", "example.com")).toMatchObject({ uri: "/pricing/index.html" });
  });

  it("answers redirects from the key value store, relative and absolute", async () => {
    const run = edge({ canonicalHost: "example.com", spa: false }, { "/old-pricing": "/pricing/", "/blog": "https://blog.example.org/" });
    expect(((await run("/old-pricing")) as Response).headers.location!.value).toBe("https://example.com/pricing/");
    expect(((await run("/blog")) as Response).headers.location!.value).toBe("https://blog.example.org/");
    expect(await run("/pricing/")).toMatchObject({ uri: "/pricing/index.html" });
  });

  it("ships redirects the key value store can import", () => {
    const file = JSON.parse(readFileSync(VIEWER_REQUEST_FILE.replace("viewer-request.mjs", "redirects.json"), "utf8")) as { data: { key: string; value: string }[] };
    expect(file.data.length).toBeGreaterThan(0);
    for (const entry of file.data) expect(entry.key.startsWith("/")).toBe(true);
  });
});
