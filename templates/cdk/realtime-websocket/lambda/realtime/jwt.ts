// Cognito user pool tokens are verified by aws-jwt-verify, AWS's own library: the RS256 signature
// against the pool's published keys (fetched once, fetched again only for a key id it has not seen),
// the pool as issuer, expiry, and an ID token for this app client (aud) or an access token for it
// (client_id). What stays here is the caller a verified token proves and the authorizer's answer.
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { JwksCache } from "aws-jwt-verify/jwk";
import type { APIGatewayAuthorizerResult } from "aws-lambda";

export type Caller = { userId: string; groups: string[] };

/** A verifier for ID and access tokens of one user pool and app client. */
export function poolVerifier(userPoolId: string, clientId: string, jwksCache?: JwksCache) {
  return CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: null }, jwksCache ? { jwksCache } : undefined);
}
export type PoolVerifier = ReturnType<typeof poolVerifier>;

/** The caller a token proves, or an error saying why it proves nothing. */
export async function callerOf(verifier: PoolVerifier, token: unknown): Promise<Caller> {
  if (typeof token !== "string" || token === "") throw new Error("no token");
  const claims = await verifier.verify(token);
  const groups = claims["cognito:groups"];
  return { userId: claims.sub, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [] };
}

/** The IAM policy a Lambda authorizer returns; the context travels with every message of the connection. */
export function policyFor(principalId: string, effect: "Allow" | "Deny", resource: string, context: Record<string, string> = {}): APIGatewayAuthorizerResult & { context: Record<string, string> } {
  return {
    principalId,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
    context,
  };
}
