// Query handler (GET /accounts/{accountId}). Reads the account-summary read model and nothing else:
// its role can only GetItem on that table. The view trails the event store by about a second.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { ACCOUNT_ID } from "../command/accounts";

const ddb = new DynamoDBClient({});

export async function handler(request: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const accountId = request.pathParameters?.accountId;
  if (typeof accountId !== "string" || !ACCOUNT_ID.test(accountId)) return reply(400, { message: "the account id must be 1-64 letters, digits, '-' or '_'" });
  const { Item } = await ddb.send(new GetItemCommand({ TableName: process.env.VIEW_TABLE!, Key: { accountId: { S: accountId } } }));
  if (!Item) return reply(404, { message: "no such account (a new one appears about a second after it is opened)" });
  return reply(200, {
    accountId: Item.accountId?.S,
    owner: Item.owner?.S,
    balance: Number(Item.balance?.N ?? "0"),
    status: Item.status?.S,
    version: Number(Item.version?.N),
    openedAt: Item.openedAt?.S,
    updatedAt: Item.updatedAt?.S,
  });
}

function reply(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
