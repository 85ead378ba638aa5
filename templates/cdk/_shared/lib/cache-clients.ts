import { Stack } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { IConstruct } from "constructs";

/**
 * A function that reads through the app's cache or deletes its keys after a write (with the helpers
 * of lambda/cache/read-through.ts), and the customer managed policy its role holds. The function runs
 * in the VPC the stack lends as `vpc`, where a cache composed into the app joins it.
 */
export interface CacheClient {
  readonly fn: lambda.Function;
  readonly policy: iam.ManagedPolicy;
}

/**
 * A stack whose functions use a read-through cache when one is composed into the app. The cache
 * construct (lib/addons/read-through-cache.ts) is built inside the stack and serves each of them:
 * the endpoint in their environment, the AUTH token's permissions, a way through the security groups.
 */
export interface CacheClientHost {
  readonly cacheClients: readonly CacheClient[];
}

/** The cache clients of the stack that holds `scope`; none when the stack lists none. */
export function cacheClientsOf(scope: IConstruct): readonly CacheClient[] {
  const stack = Stack.of(scope) as Stack & Partial<CacheClientHost>;
  return stack.cacheClients ?? [];
}
