import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import * as fake from "./support/fake-cache";

vi.mock("iovalkey", () => fake.iovalkey);

type Module = typeof import("../lambda/cache/read-through.js");
let cache: Module;
let secrets: ReturnType<typeof fake.serveCache>;
const { server } = fake;

beforeEach(async () => {
  secrets = fake.serveCache();
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  // each test starts in a new execution environment: no connection, no token read yet
  vi.resetModules();
  cache = await import("../lambda/cache/read-through.js");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  fake.removeCache();
});

const loader = <T>(value: T | undefined) => vi.fn(async () => value);

describe("readThrough", () => {
  it("loads a missing key, stores it as JSON for about the TTL, and serves the next read from the cache", async () => {
    const load = loader({ id: "7", name: "seven" });
    expect(await cache.readThrough("item:7", 300, load)).toEqual({ value: { id: "7", name: "seven" }, cached: false });
    const entry = server.entries.get("item:7")!;
    expect(JSON.parse(entry.value)).toEqual({ id: "7", name: "seven" });
    expect(entry.ttlSeconds).toBeGreaterThanOrEqual(270);
    expect(entry.ttlSeconds).toBeLessThanOrEqual(330);

    expect(await cache.readThrough("item:7", 300, load)).toEqual({ value: { id: "7", name: "seven" }, cached: true });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("connects once with TLS to the configured host, authenticated with the token from Secrets Manager", async () => {
    await cache.readThrough("a", 60, loader(1));
    await cache.readThrough("b", 60, loader(2));
    expect(server.opened).toBe(1);
    expect(server.clients[0]!.host).toBe(fake.CACHE_ENV.CACHE_HOST);
    expect(server.clients[0]!.tls).toEqual({});
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("does not cache a missing value", async () => {
    const load = loader(undefined);
    expect(await cache.readThrough("item:gone", 60, load)).toEqual({ value: undefined, cached: false });
    await cache.readThrough("item:gone", 60, load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(server.entries.size).toBe(0);
  });

  it("after the token is rotated twice, reads the secret again once and reconnects", async () => {
    await cache.readThrough("a", 60, loader(1));
    // the group now accepts only a newer token, and has closed the connections
    server.token = "third-token";
    for (const client of server.clients) client.disconnect();

    expect(await cache.readThrough("a", 60, loader(1))).toEqual({ value: 1, cached: true });
    expect(server.refused).toBe(1);
    expect(server.opened).toBe(2);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("gives up after one fresh read of the secret when the token is still refused", async () => {
    server.token = "a-token-nobody-has";
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: "stale" }) });
    const load = loader("from the source");
    expect(await cache.readThrough("k", 60, load)).toEqual({ value: "from the source", cached: false });
    expect(server.refused).toBe(2);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("reads from the source while the cache is down, and skips it for a while instead of waiting on each request", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    server.down = true;
    const load = loader("v");
    expect(await cache.readThrough("k", 60, load)).toEqual({ value: "v", cached: false });
    expect(await cache.readThrough("k", 60, load)).toEqual({ value: "v", cached: false });
    expect(server.clients).toHaveLength(1);

    server.down = false;
    vi.advanceTimersByTime(cache.RETRY_AFTER_MS + 1);
    await cache.readThrough("k", 60, load);
    expect(await cache.readThrough("k", 60, load)).toEqual({ value: "v", cached: true });
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("falls back to the source when a command fails, and opens a new connection next time", async () => {
    await cache.readThrough("k", 60, loader("first"));
    server.down = true;
    expect(await cache.readThrough("k", 60, loader("second"))).toEqual({ value: "second", cached: false });
    server.down = false;
    expect(await cache.readThrough("k", 60, loader("third"))).toEqual({ value: "first", cached: true });
    expect(server.opened).toBe(2);
  });

  it("calls the source every time when the app has no cache", async () => {
    fake.removeCache();
    const load = loader("v");
    await cache.readThrough("k", 60, load);
    await cache.readThrough("k", 60, load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(server.clients).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});

describe("invalidate", () => {
  it("deletes the key, so the next read loads the new value", async () => {
    await cache.readThrough("item:1", 60, loader("old"));
    expect(await cache.invalidate("item:1")).toBe(true);
    expect(await cache.readThrough("item:1", 60, loader("new"))).toEqual({ value: "new", cached: false });
  });

  it("reports a delete that could not reach the cache, and logs it as an error", async () => {
    server.down = true;
    expect(await cache.invalidate("item:1")).toBe(false);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining("cache invalidation failed"));
  });

  it("has nothing to do without a cache", async () => {
    fake.removeCache();
    expect(await cache.invalidate("item:1")).toBe(true);
    expect(server.clients).toHaveLength(0);
  });
});
