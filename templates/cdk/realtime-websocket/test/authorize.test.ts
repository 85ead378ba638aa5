import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { authorizer, handler } from "../lambda/realtime/authorize";
import { idToken, issuer, servedVerifier } from "./support/cognito-tokens";

const methodArn = "arn:aws:execute-api:us-east-1:111122223333:abc123/live/$connect";
const connecting = (token?: string) => ({ type: "REQUEST", methodArn, queryStringParameters: token === undefined ? {} : { token }, requestContext: { connectionId: "conn-1" } }) as unknown as APIGatewayRequestAuthorizerEvent;
const now = () => Math.floor(Date.now() / 1000);

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe("the $connect authorizer", () => {
  it("admits a valid token, passing the user and groups to every route in the context", async () => {
    const verifier = servedVerifier();
    expect(await authorizer(() => verifier)(connecting(idToken(now())))).toEqual({
      principalId: "user-1",
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: methodArn }] },
      context: { userId: "user-1", groups: "depot-42" },
    });
  });

  it("refuses a missing, expired or foreign token as Unauthorized (401), saying why only in the log", async () => {
    const verifier = servedVerifier();
    const authorize = authorizer(() => verifier);
    await expect(authorize(connecting())).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(connecting(idToken(now() - 3600)))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(connecting(idToken(now(), { aud: "another-client" })))).rejects.toThrow(/^Unauthorized$/);
    expect(console.log).toHaveBeenCalledWith(JSON.stringify({ denied: "Error: no token", connectionId: "conn-1" }));
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/"denied":".*expired/i));
  });

  it("reads the pool's signing keys from its issuer once per verifier, however many connect", async () => {
    const fetched: string[] = [];
    const verifier = servedVerifier(undefined, fetched);
    const authorize = authorizer(() => verifier);
    await authorize(connecting(idToken(now())));
    await authorize(connecting(idToken(now())));
    expect(fetched).toEqual([`${issuer}/.well-known/jwks.json`]);
  });

  it("refuses every connection while the signing keys cannot be read", async () => {
    const verifier = servedVerifier("down");
    await expect(authorizer(() => verifier)(connecting(idToken(now())))).rejects.toThrow(/^Unauthorized$/);
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining("JWKS request failed: 503"));
  });

  it("refuses every connection when the function is not told its pool, without reaching the network", async () => {
    vi.stubEnv("USER_POOL_ID", "");
    await expect(handler(connecting(idToken(now())))).rejects.toThrow(/^Unauthorized$/);
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(/"denied":".*User Pool ID/i));
  });
});
