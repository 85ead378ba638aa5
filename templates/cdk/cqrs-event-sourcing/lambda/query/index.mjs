// Query handler (GET /accounts/{accountId}). Reads the account-summary read model and nothing else:
// its role can only GetItem on that table. The view trails the event store by about a second.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";

const ddb = new DynamoDBClient({});
const { VIEW_TABLE } = process.env;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function handler(request) {
  const accountId = request.pathParameters?.accountId;
  if (typeof accountId !== "string" || !ID.test(accountId)) return reply(400, { message: "the account id must be 1-64 letters, digits, '-' or '_'" });
  const { Item } = await ddb.send(new GetItemCommand({ TableName: VIEW_TABLE, Key: { accountId: { S: accountId } } }));
  if (!Item) return reply(404, { message: "no such account (a new one appears about a second after it is opened)" });
  return reply(200, {
    accountId: Item.accountId.S,
    owner: Item.owner?.S,
    balance: Number(Item.balance?.N ?? "0"),
    status: Item.status?.S,
    version: Number(Item.version.N),
    openedAt: Item.openedAt?.S,
    updatedAt: Item.updatedAt?.S,
  });
}

function reply(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
