import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../lambda/realtime/authorize";
import { clientId, idToken, jwks } from "./support/cognito-tokens";

const fetchMock = vi.fn<typeof fetch>();
const methodArn = "arn:aws:execute-api:us-east-1:111122223333:abc123/live/$connect";
const connecting = (token?: string) => ({ type: "REQUEST", methodArn, queryStringParameters: token === undefined ? {} : { token }, requestContext: { connectionId: "conn-1" } }) as unknown as APIGatewayRequestAuthorizerEvent;
const now = () => Math.floor(Date.now() / 1000);

vi.stubGlobal("fetch", fetchMock);
beforeEach(() => {
  // the pool of support/cognito-tokens.ts; its signing keys are cached per function instance
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("USER_POOL_ID", "us-east-1_Example");
  vi.stubEnv("USER_POOL_CLIENT_ID", clientId);
  fetchMock.mockReset();
  fetchMock.mockImplementation(async () => Response.json(jwks));
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe("the $connect authorizer", () => {
  it("admits a valid token, passing the user and groups to every route in the context", async () => {
    expect(await handler(connecting(idToken(now())))).toEqual({
      principalId: "user-1",
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: methodArn }] },
      context: { userId: "user-1", groups: "depot-42" },
    });
  });

  it("refuses a missing, expired or foreign token as Unauthorized (401), saying why only in the log", async () => {
    await expect(handler(connecting())).rejects.toThrow("Unauthorized");
    await expect(handler(connecting(idToken(now() - 3600)))).rejects.toThrow("Unauthorized");
    await expect(handler(connecting(idToken(now(), { aud: "another-client" })))).rejects.toThrow("Unauthorized");
    expect(console.log).toHaveBeenCalledWith(JSON.stringify({ denied: "Error: expired", connectionId: "conn-1" }));
  });

  it("fetches the pool's signing keys from its issuer once per function instance", async () => {
    vi.stubEnv("USER_POOL_ID", "us-east-1_Other");
    const token = idToken(now(), { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" });
    await handler(connecting(token));
    await handler(connecting(token));
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other/.well-known/jwks.json"]);
  });

  it("refuses every connection while the signing keys cannot be read", async () => {
    vi.stubEnv("USER_POOL_ID", "us-east-1_Down");
    fetchMock.mockImplementation(async () => new Response("unavailable", { status: 503 }));
    await expect(handler(connecting(idToken(now(), { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Down" })))).rejects.toThrow("Unauthorized");
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining("JWKS request failed: 503"));
  });
});
