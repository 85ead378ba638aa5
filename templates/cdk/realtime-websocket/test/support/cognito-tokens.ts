// Tokens signed like a Cognito user pool's (RS256, with a key id), the pool's JWKS, and verifiers
// that read it from a counted, local fetcher instead of the network, for the tests.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { type Jwks, SimpleJwksCache } from "aws-jwt-verify/jwk";
import { poolVerifier } from "../../lambda/realtime/jwt";

export const userPoolId = "us-east-1_Example";
export const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
export const clientId = "client-123";

export const poolKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
/** A key pair that is not the pool's. */
export const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const jwks = { keys: [{ ...(poolKey.publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string }), kid: "key-1", alg: "RS256", use: "sig" }] } as Jwks;

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A compact JWT with these claims, signed by the pool's key unless told otherwise. */
export function token(claims: Record<string, unknown>, { kid = "key-1", alg = "RS256", key = poolKey.privateKey }: { kid?: string; alg?: string; key?: KeyObject } = {}): string {
  const signed = `${b64({ kid, alg })}.${b64(claims)}`;
  return `${signed}.${sign("RSA-SHA256", Buffer.from(signed), key).toString("base64url")}`;
}

/** An ID token of this app client for user-1 in group depot-42, valid ten minutes after `now` (seconds). */
export const idToken = (now: number, extra: Record<string, unknown> = {}) =>
  token({ sub: "user-1", iss: issuer, aud: clientId, token_use: "id", exp: now + 600, iat: now - 5, "cognito:groups": ["depot-42"], ...extra });

/** A verifier for the test pool whose key requests answer with `keys` (or fail when "down"), each URL recorded in `fetched`. */
export function servedVerifier(keys: Jwks | "down" = jwks, fetched: string[] = [], pool = userPoolId) {
  const fetcher = {
    fetch: async (uri: string) => {
      fetched.push(uri);
      if (keys === "down") throw new Error("JWKS request failed: 503");
      return new TextEncoder().encode(JSON.stringify(keys)).buffer as ArrayBuffer;
    },
  };
  return poolVerifier(pool, clientId, new SimpleJwksCache({ fetcher }));
}
