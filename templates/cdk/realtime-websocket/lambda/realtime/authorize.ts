// $connect authorizer: the client opens wss://...?token=<Cognito ID or access token> (browsers cannot
// set headers on a WebSocket). The token is verified here against the user pool's signing keys, which
// are fetched once per function instance; the user id and groups go into the authorizer context, and
// every route reads them from there, never from the message.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { type Jwks, policyFor, verifyToken } from "./jwt";

let jwks: { issuer: string; keys: Jwks } | undefined;

async function signingKeys(issuer: string): Promise<Jwks> {
  if (jwks?.issuer !== issuer) {
    const response = await fetch(`${issuer}/.well-known/jwks.json`);
    if (!response.ok) throw new Error(`JWKS request failed: ${response.status}`);
    jwks = { issuer, keys: (await response.json()) as Jwks };
  }
  return jwks.keys;
}

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const { USER_POOL_ID, USER_POOL_CLIENT_ID = "", AWS_REGION } = process.env;
  const issuer = `https://cognito-idp.${AWS_REGION}.amazonaws.com/${USER_POOL_ID}`;
  const token = event.queryStringParameters?.token;
  try {
    const caller = verifyToken(token, await signingKeys(issuer), { issuer, clientId: USER_POOL_CLIENT_ID });
    return policyFor(caller.userId, "Allow", event.methodArn, { userId: caller.userId, groups: caller.groups.join(",") });
  } catch (error) {
    console.log(JSON.stringify({ denied: String(error), connectionId: event.requestContext?.connectionId }));
    // API Gateway answers 401 for an "Unauthorized" error and 403 for a Deny policy
    throw new Error("Unauthorized");
  }
}
