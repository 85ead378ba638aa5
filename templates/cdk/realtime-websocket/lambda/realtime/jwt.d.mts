// Types of jwt.mjs, for the TypeScript tests that import it.
export type Jwk = { kid: string; kty: string; n?: string; e?: string; alg?: string; use?: string };
export type Jwks = { keys: Jwk[] };
export type Caller = { userId: string; groups: string[] };
export declare function decodeToken(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: Buffer; signed: string };
export declare function verifyToken(token: string, jwks: Jwks, options: { issuer: string; clientId: string; now?: number }): Caller;
export declare function policyFor(
  principalId: string,
  effect: "Allow" | "Deny",
  resource: string,
  context?: Record<string, string>,
): { principalId: string; policyDocument: { Version: string; Statement: { Action: string; Effect: string; Resource: string }[] }; context: Record<string, string> };
