import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeToken, policyFor, verifyToken, type Jwks } from "../lambda/realtime/jwt.mjs";

const issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";
const clientId = "client-123";
const now = 1_900_000_000;

const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks: Jwks = { keys: [{ ...(pair.publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string }), kid: "key-1", alg: "RS256", use: "sig" }] };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
function token(claims: Record<string, unknown>, { kid = "key-1", alg = "RS256", key = pair.privateKey } = {}) {
  const signed = `${b64({ kid, alg })}.${b64(claims)}`;
  return `${signed}.${sign("RSA-SHA256", Buffer.from(signed), key).toString("base64url")}`;
}
const idToken = (extra: Record<string, unknown> = {}) =>
  token({ sub: "user-1", iss: issuer, aud: clientId, token_use: "id", exp: now + 600, "cognito:groups": ["depot-42"], ...extra });
const check = (t: string) => verifyToken(t, jwks, { issuer, clientId, now });

describe("verifying a Cognito token", () => {
  it("accepts an ID token for this client and returns the user and groups", () => {
    expect(check(idToken())).toEqual({ userId: "user-1", groups: ["depot-42"] });
  });

  it("accepts an access token for this client", () => {
    expect(check(token({ sub: "user-2", iss: issuer, client_id: clientId, token_use: "access", exp: now + 60 }))).toEqual({ userId: "user-2", groups: [] });
  });

  it.each([
    ["an expired token", () => idToken({ exp: now - 120 }), /expired/],
    ["another issuer", () => idToken({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" }), /issuer/],
    ["another app client", () => idToken({ aud: "someone-else" }), /app client/],
    ["a token of another kind", () => idToken({ token_use: "refresh" }), /app client/],
    ["a signature by another key", () => token({ sub: "user-1", iss: issuer, aud: clientId, token_use: "id", exp: now + 600 }, { key: other.privateKey }), /signature/],
    ["an unknown key id", () => token({ sub: "user-1" }, { kid: "key-9" }), /no signing key/],
    ["an unsigned token", () => `${b64({ kid: "key-1", alg: "none" })}.${b64({ sub: "user-1" })}.`, /algorithm none/],
    ["no token at all", () => "", /not a JWT/],
  ])("refuses %s", (_, make, message) => {
    expect(() => check(make())).toThrow(message);
  });

  it("refuses a payload changed after signing", () => {
    const [header, , signature] = idToken().split(".");
    const forged = `${header}.${b64({ sub: "admin", iss: issuer, aud: clientId, token_use: "id", exp: now + 600, "cognito:groups": ["admins"] })}.${signature}`;
    expect(() => check(forged)).toThrow(/signature/);
    expect(decodeToken(forged).payload.sub).toBe("admin");
  });

  it("builds the authorizer's answer with the caller in its context", () => {
    const answer = policyFor("user-1", "Allow", "arn:aws:execute-api:us-east-1:111122223333:abc/live/$connect", { userId: "user-1", groups: "depot-42" });
    expect(answer.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Allow", Resource: "arn:aws:execute-api:us-east-1:111122223333:abc/live/$connect" }]);
    expect(answer.context).toEqual({ userId: "user-1", groups: "depot-42" });
  });
});
