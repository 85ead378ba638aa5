import { createServer, connect, type AddressInfo, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCommand, parseReply, ReplyError, RespClient } from "../lambda/read-through/resp.mjs";

describe("RESP encoding and parsing", () => {
  it("encodes a command as an array of bulk strings, counting bytes, not characters", () => {
    expect(encodeCommand(["SET", "k", "é", "EX", 60]).toString()).toBe("*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n$2\r\nEX\r\n$2\r\n60\r\n");
  });

  it("parses simple strings, integers, bulk strings, nulls and arrays", () => {
    expect(parseReply(Buffer.from("+OK\r\n"))).toEqual({ value: "OK", offset: 5 });
    expect(parseReply(Buffer.from(":1\r\n"))?.value).toBe(1);
    expect(parseReply(Buffer.from("$5\r\nhe\r\nl\r\n"))?.value).toBe("he\r\nl");
    expect(parseReply(Buffer.from("$-1\r\n"))?.value).toBeNull();
    expect(parseReply(Buffer.from("*2\r\n$1\r\na\r\n:7\r\n"))?.value).toEqual(["a", 7]);
  });

  it("returns error replies as ReplyError values with their code", () => {
    const reply = parseReply(Buffer.from("-WRONGPASS invalid username-password pair\r\n"))?.value;
    expect(reply).toBeInstanceOf(ReplyError);
    expect((reply as ReplyError).code).toBe("WRONGPASS");
  });

  it("waits for the rest of a reply that is cut short", () => {
    expect(parseReply(Buffer.from("$5\r\nhel"))).toBeUndefined();
    expect(parseReply(Buffer.from("*2\r\n$1\r\na\r\n"))).toBeUndefined();
    expect(parseReply(Buffer.from("+OK"))).toBeUndefined();
  });

  it("reads consecutive replies from one buffer", () => {
    const buffer = Buffer.from("+OK\r\n$2\r\nhi\r\n");
    const first = parseReply(buffer)!;
    expect(parseReply(buffer, first.offset)?.value).toBe("hi");
  });
});

describe("RespClient against a fake server", () => {
  let server: Server;
  let port: number;
  const store = new Map<string, string>();
  beforeAll(async () => {
    // answers AUTH, GET, SET and DEL like Valkey, one byte at a time to exercise reassembly
    server = createServer((socket) => {
      let buffer = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        let request;
        while ((request = parseReply(buffer)) !== undefined) {
          buffer = buffer.subarray(request.offset);
          const [command, key, value] = request.value as string[];
          let reply: string;
          if (command === "AUTH") reply = key === "secret" ? "+OK\r\n" : "-WRONGPASS invalid username-password pair\r\n";
          else if (command === "GET") reply = store.has(key!) ? `$${Buffer.byteLength(store.get(key!)!)}\r\n${store.get(key!)}\r\n` : "$-1\r\n";
          else if (command === "SET") (store.set(key!, value!), (reply = "+OK\r\n"));
          else if (command === "DEL") reply = `:${store.delete(key!) ? 1 : 0}\r\n`;
          else reply = "-ERR unknown command\r\n";
          for (const byte of Buffer.from(reply)) socket.write(Buffer.from([byte]));
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("authenticates, misses, stores with a TTL, hits and deletes", async () => {
    const client = new RespClient({ connect: () => connect(port, "127.0.0.1") });
    expect(await client.auth("secret")).toBe("OK");
    expect(await client.get("item:1")).toBeNull();
    expect(await client.setEx("item:1", '{"name":"one"}', 299.6)).toBe("OK");
    expect(await client.get("item:1")).toBe('{"name":"one"}');
    expect(await client.del("item:1")).toBe(1);
    expect(await client.get("item:1")).toBeNull();
    client.close();
  });

  it("rejects a wrong token with a WRONGPASS ReplyError", async () => {
    const client = new RespClient({ connect: () => connect(port, "127.0.0.1") });
    await expect(client.auth("nope")).rejects.toMatchObject({ code: "WRONGPASS" });
    client.close();
  });

  it("fails pending commands when no reply comes in time", async () => {
    // reads every request and never answers
    const silent = createServer((socket) => socket.resume());
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    const client = new RespClient({ timeoutMs: 50, connect: () => connect((silent.address() as AddressInfo).port, "127.0.0.1") });
    await expect(client.get("k")).rejects.toThrow(/no reply/);
    expect(client.closed).toBe(true);
    await new Promise<void>((done) => silent.close(() => done()));
  });
});
