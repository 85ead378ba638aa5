// An in-memory Valkey for unit tests of functions that read through the cache. It stands in for
// iovalkey's client with the interface lambda/cache/read-through.ts uses, and checks the AUTH token
// as ElastiCache does. Import it before the code under test:
//
//   import * as fake from "./support/fake-cache";
//   vi.mock("iovalkey", () => fake.iovalkey);
//   beforeEach(() => fake.serveCache());
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import type { CacheClient } from "../../lambda/cache/read-through";

export type Entry = { value: string; ttlSeconds: number };

/** The fake server: its token, its keys and what it was asked. */
export const server = {
  token: "first-token",
  /** connections refuse to open, and open ones fail every command */
  down: false,
  entries: new Map<string, Entry>(),
  /** connections opened, and AUTH attempts refused */
  opened: 0,
  refused: 0,
  clients: [] as FakeValkey[],
};

export class FakeValkey implements CacheClient {
  status = "wait";
  private readonly listeners: ((error: Error) => void)[] = [];

  constructor(private readonly options: { host?: string; port?: number; password?: string; tls?: object }) {
    server.clients.push(this);
  }

  get host() {
    return this.options.host;
  }

  get tls() {
    return this.options.tls;
  }

  async connect(): Promise<void> {
    if (server.down) {
      this.status = "end";
      throw new Error("connect ECONNREFUSED");
    }
    if (this.options.password !== server.token) {
      server.refused += 1;
      // as iovalkey does: the server's reply as an error event, then the connection closes
      for (const listener of this.listeners) listener(new Error("WRONGPASS invalid username-password pair or user is disabled."));
      this.status = "end";
      throw new Error("Connection is closed.");
    }
    server.opened += 1;
    this.status = "ready";
  }

  async get(key: string): Promise<string | null> {
    this.check();
    return server.entries.get(key)?.value ?? null;
  }

  async set(key: string, value: string, _expiry: "EX", seconds: number): Promise<"OK"> {
    this.check();
    if (!Number.isInteger(seconds) || seconds < 1) throw new Error("ERR invalid expire time in 'set' command");
    server.entries.set(key, { value, ttlSeconds: seconds });
    return "OK";
  }

  async del(key: string): Promise<number> {
    this.check();
    return server.entries.delete(key) ? 1 : 0;
  }

  disconnect(): void {
    this.status = "end";
  }

  on(_event: "error", listener: (error: Error) => void): this {
    this.listeners.push(listener);
    return this;
  }

  private check() {
    if (this.status !== "ready") throw new Error("Connection is closed.");
    if (server.down) throw new Error("Command timed out");
  }
}

/** What `vi.mock("iovalkey", ...)` returns. */
export const iovalkey = { default: FakeValkey, Valkey: FakeValkey };

export const CACHE_ENV = { CACHE_HOST: "cache.example.internal", CACHE_PORT: "6380", CACHE_TOKEN_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:111122223333:secret:token" };

/**
 * A fresh server with `token`, the cache variables set as the construct sets them, and Secrets
 * Manager answering with the server's current token. Returns the Secrets Manager mock.
 */
export function serveCache(token = "first-token") {
  resetServer(token);
  Object.assign(process.env, CACHE_ENV);
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(GetSecretValueCommand, { SecretId: CACHE_ENV.CACHE_TOKEN_SECRET_ARN }).callsFake(() => ({ SecretString: JSON.stringify({ token: server.token }) }));
  return secrets;
}

/** No cache in the app: the variables unset, the server empty. */
export function removeCache(): void {
  for (const name of Object.keys(CACHE_ENV)) delete process.env[name];
  resetServer(server.token);
}

function resetServer(token: string): void {
  Object.assign(server, { token, down: false, opened: 0, refused: 0, clients: [] });
  server.entries.clear();
}
