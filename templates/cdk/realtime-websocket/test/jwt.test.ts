import { describe, expect, it } from "vitest";
import { decodeToken, policyFor, verifyToken } from "../lambda/realtime/jwt";
import { b64, clientId, idToken as idTokenAt, issuer, jwks, otherKey, token } from "./support/cognito-tokens";

const now = 1_900_000_000;
const idToken = (extra: Record<string, unknown> = {}) => idTokenAt(now, extra);
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
    ["a signature by another key", () => token({ sub: "user-1", iss: issuer, aud: clientId, token_use: "id", exp: now + 600 }, { key: otherKey.privateKey }), /signature/],
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
