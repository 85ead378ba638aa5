// Pre-provisioning hook of the fleet provisioning template: AWS IoT calls it for every RegisterThing
// request and provisions the device only when it answers allowProvisioning: true.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { type AllowlistEntry, decide } from "./decide";

const db = new DynamoDBClient({});

/** What AWS IoT sends a pre-provisioning hook (payload version 2020-04-01); `parameters` are the device's RegisterThing parameters. */
export type PreProvisioningEvent = {
  claimCertificateId?: string;
  certificateId?: string;
  templateArn?: string;
  clientId?: string;
  parameters?: Record<string, unknown>;
};

export async function handler(event: PreProvisioningEvent): Promise<{ allowProvisioning: boolean }> {
  const serialNumber = event.parameters?.SerialNumber;
  let entry: AllowlistEntry | undefined;
  if (typeof serialNumber === "string" && serialNumber.length <= 64) {
    const { Item } = await db.send(new GetItemCommand({ TableName: process.env.ALLOWLIST_TABLE, Key: { serialNumber: { S: serialNumber } }, ConsistentRead: true }));
    entry = Item ? { status: Item.status?.S } : undefined;
  }
  const answer = decide(serialNumber, entry);
  console.log(JSON.stringify({ serialNumber, claimCertificateId: event.claimCertificateId, ...answer }));
  return { allowProvisioning: answer.allowProvisioning };
}
