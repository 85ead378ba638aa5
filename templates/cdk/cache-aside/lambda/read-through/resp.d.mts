// Types of resp.mjs, so the TypeScript tests can import it.
import type { Duplex } from "node:stream";

export type Reply = string | number | null | ReplyError | Reply[];

export declare class ReplyError extends Error {
  constructor(message: string);
  readonly code: string;
}

export declare function encodeCommand(args: readonly (string | number)[]): Buffer;

export declare function parseReply(buffer: Buffer, offset?: number): { value: Reply; offset: number } | undefined;

export declare class RespClient {
  constructor(options: { host?: string; port?: number; timeoutMs?: number; connect?: () => Duplex });
  readonly closed: boolean;
  send(...args: (string | number)[]): Promise<Reply>;
  auth(token: string): Promise<Reply>;
  get(key: string): Promise<Reply>;
  setEx(key: string, value: string, seconds: number): Promise<Reply>;
  del(key: string): Promise<Reply>;
  close(): void;
}
