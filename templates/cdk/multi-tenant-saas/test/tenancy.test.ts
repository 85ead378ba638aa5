import { describe, expect, it } from "vitest";
import { sessionName, sessionTags, stillFresh, tableFor, tenantOf, usageKey } from "../lambda/tenant-api/tenancy";

const withClaims = (claims: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ requestContext: { authorizer: { claims } }, ...extra });

describe("tenancy", () => {
  it("takes the tenant only from the verified claims, never from the request", () => {
    expect(tenantOf(withClaims({ "custom:tenantId": "acme-law" }))).toBe("acme-law");
    expect(tenantOf(withClaims({}, { body: JSON.stringify({ tenantId: "acme-law" }), pathParameters: { tenantId: "acme-law" } }))).toBeUndefined();
    expect(tenantOf({})).toBeUndefined();
  });

  it("refuses malformed tenant ids, which would otherwise become table names and tag values", () => {
    for (const bad of ["", "A", "Acme", "acme/other", "acme*", "-acme", "x".repeat(41)]) expect(tenantOf(withClaims({ "custom:tenantId": bad })), bad).toBeUndefined();
    expect(() => sessionTags("acme*")).toThrow(/not a tenant id/);
  });

  it("tags the session with exactly the tenant id", () => {
    expect(sessionTags("acme-law")).toEqual([{ Key: "TenantId", Value: "acme-law" }]);
    expect(sessionName("acme-law", "3f1c-request")).toBe("tenant-acme-law-3f1c-request");
    expect(sessionName("a".repeat(40), "b".repeat(40))).toHaveLength(64);
  });

  it("sends pool tenants to the pooled table and silo tenants to their own", () => {
    const tables = { pooledTable: "app-items", siloPrefix: "app-tenant-" };
    expect(tableFor({ tenantId: "small-firm", tier: "pool" }, tables)).toBe("app-items");
    expect(tableFor({ tenantId: "big-firm", tier: "silo" }, tables)).toBe("app-tenant-big-firm");
    expect(() => tableFor({ tenantId: "x-firm", tier: "gold" }, tables)).toThrow(/unknown tier/);
  });

  it("meters per tenant per UTC day and reuses credentials until a minute before expiry", () => {
    expect(usageKey("acme-law", new Date("2026-12-06T23:59:59Z"))).toEqual({ tenantId: "acme-law", period: "2026-12-06" });
    expect(stillFresh(1_000_000 + 61_000, 1_000_000)).toBe(true);
    expect(stillFresh(1_000_000 + 59_000, 1_000_000)).toBe(false);
  });
});
