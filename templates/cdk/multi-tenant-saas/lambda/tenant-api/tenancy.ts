// What makes a request a tenant's request: pure functions, no AWS SDK, so they are tested on their own
// (test/tenancy.test.ts). The tenant id comes only from the claims API Gateway's Cognito authorizer
// verified, never from the path, the query or the body.
import type { Tag } from "@aws-sdk/client-sts";

/** What `tenantOf` reads of an API Gateway request (an APIGatewayProxyEvent fits). */
export type Request = { requestContext?: { authorizer?: { claims?: unknown } | null } };
/** A tenant as the registry holds it (the fields read here). */
export type Tenant = { tenantId: string; tier: string; status?: string };

/** Tenant ids: lowercase letters, digits and dashes, 3-40 characters (they become table names and tag values). */
export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

/** The session tag key the tenant-access role's policy reads as ${aws:PrincipalTag/TenantId}. */
export const TENANT_TAG = "TenantId";

/** The tenant id from the verified ID token's claims, or undefined when there is none or it is malformed. */
export function tenantOf(event: Request | undefined): string | undefined {
  const claims = (event?.requestContext?.authorizer?.claims ?? {}) as Record<string, unknown>;
  const tenantId = claims["custom:tenantId"];
  return typeof tenantId === "string" && TENANT_ID.test(tenantId) ? tenantId : undefined;
}

/** Session tags for AssumeRole: exactly one, the tenant id, so IAM policy variables can name the tenant. */
export function sessionTags(tenantId: string): Tag[] {
  if (!TENANT_ID.test(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  return [{ Key: TENANT_TAG, Value: tenantId }];
}

/** Role session names show up in CloudTrail: the tenant and the request that assumed the role. */
export function sessionName(tenantId: string, requestId = ""): string {
  return `tenant-${tenantId}-${requestId}`.replace(/[^\w+=,.@-]/g, "").slice(0, 64);
}

/**
 * The table holding the tenant's items: the pooled table for the pool tier, the tenant's own table
 * (named prefix + tenant id, the same name the tenant-access role's policy builds) for the silo tier.
 */
export function tableFor(tenant: Tenant, { pooledTable, siloPrefix }: { pooledTable: string; siloPrefix: string }): string {
  if (tenant.tier === "silo") return `${siloPrefix}${tenant.tenantId}`;
  if (tenant.tier === "pool") return pooledTable;
  throw new Error(`unknown tier ${tenant.tier} for tenant ${tenant.tenantId}`);
}

/** The metering key: one counter item per tenant per UTC day. */
export function usageKey(tenantId: string, now = new Date()): { tenantId: string; period: string } {
  return { tenantId, period: now.toISOString().slice(0, 10) };
}

/** Credentials are reused until a minute before they expire. */
export function stillFresh(expiresAtMs: number, nowMs = Date.now()): boolean {
  return expiresAtMs - nowMs > 60_000;
}
