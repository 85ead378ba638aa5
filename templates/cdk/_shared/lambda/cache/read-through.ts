// Read-through caching for the functions that read the app's data. `readThrough(key, ttl, load)`
// answers from Valkey when the key is there; on a miss it calls `load`, stores the value for about
// `ttl` seconds and returns it. `invalidate(key)` deletes a key after a write, so the next read
// loads the committed value.
//
// The cache is the ElastiCache (Valkey) group of lib/addons/read-through-cache.ts. That construct
// sets CACHE_HOST, CACHE_PORT and CACHE_TOKEN_SECRET_ARN on each function it serves. Without
// CACHE_HOST (no cache in this app) every read calls `load`. When the cache cannot answer, reads call
// `load` and the failure is logged: the database stays the source of truth.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import Valkey from "iovalkey";

/** A value read through the cache, and whether the cache had it. */
export type Read<T> = { value: T | undefined; cached: boolean };

/** The part of iovalkey's client this module uses (tests pass an in-memory fake of it). */
export interface CacheClient {
  readonly status: string;
  connect(): Promise<void>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, expiry: "EX", seconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
  disconnect(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** After a failed connection the cache is skipped this long, so an outage adds no wait to each request. */
export const RETRY_AFTER_MS = 10_000;

const secrets = new SecretsManagerClient({});
let client: CacheClient | undefined;
let connecting: Promise<CacheClient> | undefined;
let token: string | undefined;
let skipUntil = 0;

export async function readThrough<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>): Promise<Read<T>> {
  const cache = await connection();
  if (cache) {
    try {
      const hit = await cache.get(key);
      if (hit !== null) return { value: JSON.parse(hit) as T, cached: true };
    } catch (error) {
      console.warn(JSON.stringify({ message: "cache read failed, loading from the source", key, error: String(error) }));
      drop();
    }
  }
  const value = await load();
  // a missing value is not cached: the next read asks the source again
  if (cache && value !== undefined) {
    try {
      await cache.set(key, JSON.stringify(value), "EX", jittered(ttlSeconds));
    } catch (error) {
      console.warn(JSON.stringify({ message: "cache write failed", key, error: String(error) }));
      drop();
    }
  }
  return { value, cached: false };
}

/** Deletes a cached key after a write. False when a cache is configured but the delete failed. */
export async function invalidate(key: string): Promise<boolean> {
  if (!process.env.CACHE_HOST) return true;
  const cache = await connection();
  try {
    if (!cache) throw new Error("no connection");
    await cache.del(key);
    return true;
  } catch (error) {
    // the stale copy stays until its TTL ends: say so loudly
    console.error(JSON.stringify({ message: "cache invalidation failed; the entry expires with its TTL", key, error: String(error) }));
    drop();
    return false;
  }
}

/** Keys loaded together expire apart (±10%), so they do not all miss at once. */
function jittered(ttlSeconds: number): number {
  return Math.max(1, Math.round(ttlSeconds * (0.9 + Math.random() * 0.2)));
}

/** One connection per execution environment, opened on first use; undefined when there is no cache or it is down. */
async function connection(): Promise<CacheClient | undefined> {
  const { CACHE_HOST: host, CACHE_PORT: port, CACHE_TOKEN_SECRET_ARN: secretArn } = process.env;
  if (!host || !port || !secretArn) return undefined;
  if (client?.status === "ready") return client;
  if (Date.now() < skipUntil) return undefined;
  try {
    connecting ??= connect(host, Number(port), secretArn).finally(() => (connecting = undefined));
    client = await connecting;
    return client;
  } catch (error) {
    skipUntil = Date.now() + RETRY_AFTER_MS;
    console.warn(JSON.stringify({ message: "cache unavailable, loading from the source", error: String(error) }));
    return undefined;
  }
}

async function connect(host: string, port: number, secretArn: string): Promise<CacheClient> {
  token ??= await readToken(secretArn);
  try {
    return await open(host, port, token);
  } catch (error) {
    if (!(error instanceof Error && /^(WRONGPASS|NOAUTH)/.test(error.message))) throw error;
    // the token was rotated since it was read: read it again, once
    token = await readToken(secretArn);
    return open(host, port, token);
  }
}

/** TLS to the endpoint, AUTH with the token. No automatic reconnection: the next call opens a new connection. */
async function open(host: string, port: number, password: string): Promise<CacheClient> {
  const valkey: CacheClient = new Valkey({
    host,
    port,
    password,
    tls: {},
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // the server's answer to AUTH comes as an error event; connect() then only says the connection closed
  let refused: Error | undefined;
  valkey.on("error", (error) => (refused ??= error));
  try {
    await valkey.connect();
    return valkey;
  } catch (error) {
    valkey.disconnect();
    throw refused ?? error;
  }
}

async function readToken(secretArn: string): Promise<string> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const { token } = JSON.parse(secret.SecretString ?? "{}") as { token?: string };
  if (!token) throw new Error(`${secretArn} has no token field`);
  return token;
}

/** Closes the connection after a failed call, so the next call opens a fresh one. */
function drop(): void {
  client?.disconnect();
  client = undefined;
}
