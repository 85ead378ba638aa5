import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { decide } from "../lambda/provisioning-hook/decide";
import { handler } from "../lambda/provisioning-hook/index";
import { useEnv } from "./support/lambda-events";

const db = mockClient(DynamoDBClient);
const request = (SerialNumber: unknown) => ({ claimCertificateId: "claim-1", templateArn: "arn:aws:iot:us-east-1:111122223333:provisioningtemplate/fleet", parameters: { SerialNumber } });

useEnv({ ALLOWLIST_TABLE: "allowlist" });
beforeEach(() => {
  db.reset();
  db.on(GetItemCommand).resolves({});
  db.on(GetItemCommand, { Key: { serialNumber: { S: "CU-0042" } } }).resolves({ Item: { serialNumber: { S: "CU-0042" }, status: { S: "SHIPPED" } } });
  db.on(GetItemCommand, { Key: { serialNumber: { S: "CU-0007" } } }).resolves({ Item: { serialNumber: { S: "CU-0007" }, status: { S: "PROVISIONED" } } });
});

describe("deciding on a serial number", () => {
  it("admits only shipped serial numbers on the allowlist", () => {
    expect(decide("CU-0042", { status: "SHIPPED" })).toEqual({ allowProvisioning: true });
    expect(decide("CU-0042", undefined)).toMatchObject({ allowProvisioning: false, reason: "serial number not on the allowlist" });
    expect(decide("CU-0042", { status: "RETIRED" })).toMatchObject({ allowProvisioning: false, reason: "serial number is retired" });
  });

  it("refuses malformed serial numbers before they become thing names", () => {
    for (const bad of [undefined, "", "cu-0042", "CU 0042", "CU/0042", "-CU", "X".repeat(65)]) expect(decide(bad, { status: "SHIPPED" }).allowProvisioning, String(bad)).toBe(false);
  });
});

describe("the pre-provisioning hook", () => {
  it("admits a shipped device after a strongly consistent read of the allowlist", async () => {
    expect(await handler(request("CU-0042"))).toEqual({ allowProvisioning: true });
    expect(db.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({ TableName: "allowlist", Key: { serialNumber: { S: "CU-0042" } }, ConsistentRead: true });
  });

  it("refuses a device that already provisioned, and one the allowlist does not know", async () => {
    expect(await handler(request("CU-0007"))).toEqual({ allowProvisioning: false });
    expect(await handler(request("CU-9999"))).toEqual({ allowProvisioning: false });
  });

  it("refuses a malformed or missing serial number without reading the table for it", async () => {
    expect(await handler(request("X".repeat(65)))).toEqual({ allowProvisioning: false });
    expect(await handler(request(42))).toEqual({ allowProvisioning: false });
    expect(await handler({})).toEqual({ allowProvisioning: false });
    expect(db.commandCalls(GetItemCommand)).toHaveLength(0);
  });
});
