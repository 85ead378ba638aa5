// Verifying a Cognito user pool token (RS256 JWT) with node:crypto alone, so the function needs no
// extra package. Pure: the signing keys come in as a JWKS object (tested in test/jwt.test.ts).
import { createPublicKey, type JsonWebKey, verify } from "node:crypto";
import type { APIGatewayAuthorizerResult } from "aws-lambda";

export type Jwk = JsonWebKey & { kid: string; kty: string };
export type Jwks = { keys: Jwk[] };
export type Caller = { userId: string; groups: string[] };

const json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

/** Splits a compact JWT into its decoded header and payload, the signature bytes and the signed text. */
export function decodeToken(token: unknown): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: Buffer; signed: string } {
  const parts = typeof token === "string" ? token.split(".") : [];
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) throw new Error("not a JWT");
  return { header: json(header), payload: json(payload), signature: Buffer.from(signature, "base64url"), signed: `${header}.${payload}` };
}

/**
 * The caller a token proves, or an error saying why not: RS256 only, a key of the pool, the pool as
 * issuer, not expired (60 seconds of clock skew allowed), and an ID token for this app client (aud)
 * or an access token for it (client_id).
 */
export function verifyToken(token: unknown, jwks: Jwks, { issuer, clientId, now = Math.floor(Date.now() / 1000) }: { issuer: string; clientId: string; now?: number }): Caller {
  const { header, payload, signature, signed } = decodeToken(token);
  if (header.alg !== "RS256") throw new Error(`algorithm ${header.alg} is not accepted`);
  const jwk = (jwks.keys ?? []).find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no signing key ${header.kid}`);
  if (!verify("RSA-SHA256", Buffer.from(signed), createPublicKey({ key: jwk, format: "jwk" }), signature)) throw new Error("bad signature");
  if (payload.iss !== issuer) throw new Error("wrong issuer");
  if (typeof payload.exp !== "number" || payload.exp + 60 <= now) throw new Error("expired");
  if (payload.token_use === "id" ? payload.aud !== clientId : payload.token_use === "access" ? payload.client_id !== clientId : true) {
    throw new Error("not a token for this app client");
  }
  if (typeof payload.sub !== "string" || payload.sub === "") throw new Error("no subject");
  const claimed = payload["cognito:groups"];
  const groups = Array.isArray(claimed) ? claimed.filter((g): g is string => typeof g === "string") : [];
  return { userId: payload.sub, groups };
}

/** The IAM policy a Lambda authorizer returns; the context travels with every message of the connection. */
export function policyFor(principalId: string, effect: "Allow" | "Deny", resource: string, context: Record<string, string> = {}): APIGatewayAuthorizerResult & { context: Record<string, string> } {
  return {
    principalId,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
    context,
  };
}
