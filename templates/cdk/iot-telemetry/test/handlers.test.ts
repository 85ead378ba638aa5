import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ES modules without type declarations (the handlers ship as .mjs, unbundled)
import { decide } from "../lambda/provisioning-hook/decide.mjs";
// @ts-expect-error: as above
import { toLineProtocol } from "../lambda/influx-writer/line-protocol.mjs";

describe("pre-provisioning hook", () => {
  it("admits only shipped serial numbers on the allowlist", () => {
    expect(decide("CU-0042", { status: "SHIPPED" })).toEqual({ allowProvisioning: true });
    expect(decide("CU-0042", undefined)).toMatchObject({ allowProvisioning: false, reason: "serial number not on the allowlist" });
    expect(decide("CU-0042", { status: "RETIRED" })).toMatchObject({ allowProvisioning: false, reason: "serial number is retired" });
  });

  it("refuses malformed serial numbers before they become thing names", () => {
    for (const bad of [undefined, "", "cu-0042", "CU 0042", "CU/0042", "-CU", "X".repeat(65)]) expect(decide(bad, { status: "SHIPPED" }).allowProvisioning, String(bad)).toBe(false);
  });
});

describe("line protocol", () => {
  it("writes one point per message, tagged with the thing, at the device's time", () => {
    expect(toLineProtocol({ thingName: "CU-0042", ts: 1767225599000, receivedAt: 1767225600000, metrics: { temperature: 3.9, compressorAmps: 4, door: "closed", defrosting: false } })).toEqual([
      'telemetry,thing=CU-0042 temperature=3.9,compressorAmps=4,door="closed",defrosting=false 1767225599000',
    ]);
  });

  it("falls back to the arrival time and escapes what line protocol reserves", () => {
    expect(toLineProtocol({ thingName: "unit 7,a=b", receivedAt: 1767225600000, metrics: { "set point": 4, note: 'say "hi"' } })).toEqual([
      'telemetry,thing=unit\\ 7\\,a\\=b set\\ point=4,note="say \\"hi\\"" 1767225600000',
    ]);
  });

  it("skips messages it cannot place: no thing, no time, no usable reading", () => {
    expect(toLineProtocol({ receivedAt: 1, metrics: { t: 1 } })).toEqual([]);
    expect(toLineProtocol({ thingName: "CU-1", metrics: { t: 1 } })).toEqual([]);
    expect(toLineProtocol({ thingName: "CU-1", receivedAt: 1, metrics: { nested: { a: 1 }, nan: Number.NaN } })).toEqual([]);
    expect(toLineProtocol("not an object")).toEqual([]);
  });
});
