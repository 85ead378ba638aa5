// Pre-provisioning hook of the fleet provisioning template: AWS IoT calls it for every RegisterThing
// request and provisions the device only when it answers allowProvisioning: true.
// The AWS SDK v3 ships with the Node.js runtime: no bundling.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { decide } from "./decide.mjs";

const db = new DynamoDBClient({});

export async function handler(event) {
  const serialNumber = event?.parameters?.SerialNumber;
  let entry;
  if (typeof serialNumber === "string" && serialNumber.length <= 64) {
    const { Item } = await db.send(new GetItemCommand({ TableName: process.env.ALLOWLIST_TABLE, Key: { serialNumber: { S: serialNumber } }, ConsistentRead: true }));
    entry = Item ? { status: Item.status?.S } : undefined;
  }
  const answer = decide(serialNumber, entry);
  console.log(JSON.stringify({ serialNumber, claimCertificateId: event?.claimCertificateId, ...answer }));
  return { allowProvisioning: answer.allowProvisioning };
}
