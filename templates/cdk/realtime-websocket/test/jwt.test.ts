import { describe, expect, it } from "vitest";
import { callerOf, policyFor } from "../lambda/realtime/jwt";
import { b64, clientId, idToken as idTokenAt, issuer, otherKey, servedVerifier, token } from "./support/cognito-tokens";

const now = () => Math.floor(Date.now() / 1000);
const idToken = (extra: Record<string, unknown> = {}) => idTokenAt(now(), extra);
const check = (t: string) => callerOf(servedVerifier(), t);

describe("verifying a Cognito token", () => {
  it("accepts an ID token for this client and returns the user and groups", async () => {
    expect(await check(idToken())).toEqual({ userId: "user-1", groups: ["depot-42"] });
  });

  it("accepts an access token for this client", async () => {
    expect(await check(token({ sub: "user-2", iss: issuer, client_id: clientId, token_use: "access", exp: now() + 60, iat: now() }))).toEqual({ userId: "user-2", groups: [] });
  });

  it.each([
    ["an expired token", () => idToken({ exp: now() - 120 }), /expired/i],
    ["another issuer", () => idToken({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" }), /issuer/i],
    ["another app client", () => idToken({ aud: "someone-else" }), /client|audience/i],
    ["a token of another kind", () => idToken({ token_use: "refresh" }), /token use|token_use/i],
    ["a signature by another key", () => token({ sub: "user-1", iss: issuer, aud: clientId, token_use: "id", exp: now() + 600 }, { key: otherKey.privateKey }), /signature/i],
    ["an unknown key id", () => idToken().replace(/^[^.]+/, b64({ kid: "key-9", alg: "RS256" })), /key-9|kid/i],
    ["an unsigned token", () => `${b64({ kid: "key-1", alg: "none" })}.${b64({ sub: "user-1", iss: issuer, aud: clientId, token_use: "id", exp: now() + 600 })}.`, /alg|signature/i],
    ["something that is not a JWT", () => "not-a-jwt", /JWT/],
    ["no token at all", () => "", /no token/],
  ])("refuses %s", async (_, make, message) => {
    await expect(check(make())).rejects.toThrow(message);
  });

  it("refuses a payload changed after signing", async () => {
    const [header, , signature] = idToken().split(".");
    const forged = `${header}.${b64({ sub: "admin", iss: issuer, aud: clientId, token_use: "id", exp: now() + 600, "cognito:groups": ["admins"] })}.${signature}`;
    await expect(check(forged)).rejects.toThrow(/signature/i);
  });

  it("builds the authorizer's answer with the caller in its context", () => {
    const answer = policyFor("user-1", "Allow", "arn:aws:execute-api:us-east-1:111122223333:abc/live/$connect", { userId: "user-1", groups: "depot-42" });
    expect(answer.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Allow", Resource: "arn:aws:execute-api:us-east-1:111122223333:abc/live/$connect" }]);
    expect(answer.context).toEqual({ userId: "user-1", groups: "depot-42" });
  });
});
