// A tiny client for the Redis serialization protocol (RESP2), enough for a cache: AUTH, GET, SET
// with EX, DEL. Valkey speaks the same protocol. No dependencies: node:tls (or any socket factory).
import * as tls from "node:tls";

const CRLF = "\r\n";

/** An error reply from the server (`-ERR ...`, `-WRONGPASS ...`). */
export class ReplyError extends Error {
  constructor(message) {
    super(message);
    this.name = "ReplyError";
    /** the first word of the reply, e.g. WRONGPASS, NOAUTH, ERR */
    this.code = message.split(" ", 1)[0];
  }
}

/** One command as a RESP array of bulk strings. */
export function encodeCommand(args) {
  const parts = [`*${args.length}${CRLF}`];
  for (const arg of args) {
    const text = String(arg);
    parts.push(`$${Buffer.byteLength(text)}${CRLF}${text}${CRLF}`);
  }
  return Buffer.from(parts.join(""));
}

/**
 * Reads one reply from `buffer` at `offset`. Returns `{ value, offset }` (offset just past the reply)
 * or undefined when the buffer does not hold the whole reply yet. Error replies come back as
 * ReplyError values, not thrown, so a pipeline can keep reading.
 */
export function parseReply(buffer, offset = 0) {
  if (offset >= buffer.length) return undefined;
  const end = buffer.indexOf(CRLF, offset + 1);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString("utf8", offset + 1, end);
  const next = end + 2;
  switch (type) {
    case "+":
      return { value: line, offset: next };
    case "-":
      return { value: new ReplyError(line), offset: next };
    case ":":
      return { value: Number(line), offset: next };
    case "_": // RESP3 null, should a server send one
      return { value: null, offset: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, offset: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString("utf8", next, next + length), offset: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, offset: next };
      const items = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, at);
        if (item === undefined) return undefined;
        items.push(item.value);
        at = item.offset;
      }
      return { value: items, offset: at };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)} at offset ${offset}`);
  }
}

/**
 * One connection, commands answered in order. `connect` defaults to TLS (ElastiCache with
 * in-transit encryption); tests pass a plain socket factory. Every command has a timeout, so a
 * stuck cache turns into an error the caller can fall back from.
 */
export class RespClient {
  constructor({ host, port, timeoutMs = 1000, connect = () => tls.connect({ host, port, servername: host }) }) {
    this.timeoutMs = timeoutMs;
    this.pending = [];
    this.buffer = Buffer.alloc(0);
    this.closed = false;
    this.socket = connect();
    this.socket.setNoDelay?.(true);
    this.socket.on("data", (chunk) => this.receive(chunk));
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => this.fail(new Error("connection closed")));
  }

  /** Sends one command; resolves with its reply, rejects with a ReplyError or a connection error. */
  send(...args) {
    if (this.closed) return Promise.reject(new Error("connection closed"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no reply to ${args[0]} within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.pending.push({ resolve, reject, timer });
      this.socket.write(encodeCommand(args));
    });
  }

  auth(token) {
    return this.send("AUTH", token);
  }

  get(key) {
    return this.send("GET", key);
  }

  /** SET key value EX seconds */
  setEx(key, value, seconds) {
    return this.send("SET", key, value, "EX", Math.max(1, Math.round(seconds)));
  }

  del(key) {
    return this.send("DEL", key);
  }

  close() {
    this.closed = true;
    this.socket.end();
  }

  receive(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let reply;
    try {
      while ((reply = parseReply(this.buffer)) !== undefined) {
        this.buffer = this.buffer.subarray(reply.offset);
        const waiter = this.pending.shift();
        if (!waiter) continue; // nothing asked for it: ignore
        clearTimeout(waiter.timer);
        if (reply.value instanceof ReplyError) waiter.reject(reply.value);
        else waiter.resolve(reply.value);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  fail(error) {
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
    }
    for (const waiter of this.pending.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}
