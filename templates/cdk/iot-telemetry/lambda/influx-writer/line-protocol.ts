// Telemetry messages as InfluxDB line protocol: pure functions, tested in test/influx-writer.test.ts.
// A message is what the IoT rule forwards: the device's JSON plus `thingName` and `receivedAt` (ms),
// with the readings under `metrics` (numbers, booleans or short strings), e.g.
// {"thingName":"CU-0042","receivedAt":1767225600000,"ts":1767225599000,"metrics":{"temperature":3.9,"door":"closed"}}

const escapeKey = (s: string) => s.replace(/[,= \\]/g, (c) => `\\${c}`);
const escapeMeasurement = (s: string) => s.replace(/[, \\]/g, (c) => `\\${c}`);
const fieldValue = (v: unknown): string | undefined => {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string" && v.length <= 256) return `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return undefined;
};

/** One line per message, or none when the message has no thing name, no time or no usable reading. */
export function toLineProtocol(message: unknown, measurement = "telemetry"): string[] {
  if (!message || typeof message !== "object") return [];
  const { thingName: thing, ts, receivedAt, metrics } = message as { thingName?: unknown; ts?: unknown; receivedAt?: unknown; metrics?: unknown };
  const time = Number(ts ?? receivedAt);
  if (typeof thing !== "string" || thing === "" || !Number.isFinite(time)) return [];
  const fields = Object.entries(metrics && typeof metrics === "object" ? metrics : {}).flatMap(([k, v]) => {
    const value = fieldValue(v);
    return value === undefined ? [] : [`${escapeKey(k)}=${value}`];
  });
  if (fields.length === 0) return [];
  return [`${escapeMeasurement(measurement)},thing=${escapeKey(thing)} ${fields.join(",")} ${Math.round(time)}`];
}
