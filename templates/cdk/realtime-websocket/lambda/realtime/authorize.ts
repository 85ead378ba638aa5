// $connect authorizer: the client opens wss://...?token=<Cognito ID or access token> (browsers cannot
// set headers on a WebSocket). The token is verified against the user pool's signing keys, which the
// verifier caches for the life of the function instance; the user id and groups go into the
// authorizer context, and every route reads them from there, never from the message.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { callerOf, policyFor, poolVerifier, type PoolVerifier } from "./jwt";

/** The authorizer for the tokens `verifier` accepts. */
export function authorizer(verifier: () => PoolVerifier) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    try {
      const caller = await callerOf(verifier(), event.queryStringParameters?.token);
      return policyFor(caller.userId, "Allow", event.methodArn, { userId: caller.userId, groups: caller.groups.join(",") });
    } catch (error) {
      console.log(JSON.stringify({ denied: String(error), connectionId: event.requestContext?.connectionId }));
      // API Gateway answers 401 for an "Unauthorized" error and 403 for a Deny policy
      throw new Error("Unauthorized");
    }
  };
}

let verifier: PoolVerifier | undefined;
/** The app's pool and client, from the function's environment; one verifier (and key cache) per instance. */
export const handler = authorizer(() => (verifier ??= poolVerifier(process.env.USER_POOL_ID ?? "", process.env.USER_POOL_CLIENT_ID ?? "")));
