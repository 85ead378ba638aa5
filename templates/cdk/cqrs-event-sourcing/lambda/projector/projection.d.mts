// Types of projection.mjs, for the TypeScript tests that import it.
export type Event = { aggregateId: string; version: number; type: string; payload: Record<string, unknown>; recordedAt?: string };
export type View = { accountId: string; version: number; owner: string; balance: number; status: string; openedAt: string; updatedAt: string };
export type AttributeValue = { S?: string; N?: string };
export type Item = Record<string, AttributeValue>;
export type StreamRecord = { eventID?: string; eventName?: string; dynamodb?: { NewImage?: Item; SequenceNumber?: string } };

export declare function eventFromRecord(record: StreamRecord): Event;
export declare function project(view: View | undefined, event: Event): { action: "apply"; view: View } | { action: "skip" } | { action: "gap"; expected: number };
export declare function viewPutRequest(
  tableName: string,
  view: View,
  previousVersion: number,
): { TableName: string; Item: Item; ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> };
export declare function viewFromItem(item: Item | undefined): View | undefined;
