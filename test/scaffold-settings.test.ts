import { describe, expect, it } from "vitest";
import { deriveSettings, MAX_PROVISIONED_SHARDS, RECORDS_PER_SHARD } from "../src/render/scaffold-settings.ts";
import { someRequirements } from "./builders.ts";

const reasonFor = (derived: ReturnType<typeof deriveSettings>, setting: string) => derived.reasons.find((r) => r.setting === setting)?.because;

describe("deriveSettings", () => {
  it("keeps a single-AZ data tier, daily-safe backups and no replication for the defaults", () => {
    const { settings, nagPacks, notes } = deriveSettings(someRequirements());
    expect(settings.multiAz).toBeUndefined();
    expect(settings.replication).toBeUndefined();
    expect(settings.pointInTimeRecovery).toBe(true);
    expect(settings.backupRetentionDays).toBe(14);
    expect(settings.capacity).toEqual({ min: 2, max: 4 });
    expect(settings.streamCapacity).toBeUndefined();
    expect(nagPacks).toEqual([]);
    expect(notes).toEqual([]);
  });

  it("spreads the data tier over AZs from 99.95% and keeps one instance per AZ", () => {
    expect(deriveSettings(someRequirements({ availability: 99.94 })).settings.multiAz).toBeUndefined();
    const derived = deriveSettings(someRequirements({ availability: 99.95 }));
    expect(derived.settings.multiAz).toBe(true);
    expect(derived.settings.capacity?.min).toBe(3);
    expect(reasonFor(derived, "multiAz")).toMatch(/availability 99\.95%/);
  });

  it("replicates across Regions only when the RPO is under an hour", () => {
    expect(deriveSettings(someRequirements({ rpo: "1h" })).settings.replication).toBeUndefined();
    const derived = deriveSettings(someRequirements({ rpo: "5m" }));
    expect(derived.settings.replication).toEqual({ primaryRegion: "us-east-1", replicaRegion: "us-west-2" });
    expect(reasonFor(derived, "replication")).toMatch(/rpo 5m/);
  });

  it("turns point-in-time recovery off only when daily backups meet the RPO", () => {
    expect(deriveSettings(someRequirements({ rpo: "1d" })).settings.pointInTimeRecovery).toBe(true);
    expect(deriveSettings(someRequirements({ rpo: "7d", rto: "7d" })).settings).toMatchObject({ pointInTimeRecovery: false, backupRetentionDays: 7 });
  });

  it("sizes Kinesis at 1,000 records/s per shard with headroom, on-demand when bursty or huge", () => {
    const steady = deriveSettings(someRequirements({ workload: ["streaming-analytics"], traffic: { eventsPerSecond: 80_000, shape: "steady" } }));
    expect(steady.settings.streamCapacity).toBeGreaterThanOrEqual(80_000 / RECORDS_PER_SHARD);
    expect(steady.settings.streamCapacity).toBe(96);
    const spiky = deriveSettings(someRequirements({ workload: ["streaming-analytics"], traffic: { eventsPerSecond: 80_000, shape: "spiky" } }));
    expect(spiky.settings.streamCapacity).toBe("on-demand");
    const huge = deriveSettings(someRequirements({ workload: ["streaming-analytics"], traffic: { eventsPerSecond: MAX_PROVISIONED_SHARDS * RECORDS_PER_SHARD, shape: "steady" } }));
    expect(huge.settings.streamCapacity).toBe("on-demand");
    expect(deriveSettings(someRequirements()).settings.streamCapacity).toBeUndefined();
  });

  it("bounds the fleet from concurrent users and reserves Lambda concurrency from request rate and latency", () => {
    const derived = deriveSettings(someRequirements({ traffic: { peakConcurrentUsers: 20_000, requestsPerSecond: 200 }, latencyMs: 200 }));
    expect(derived.settings.capacity).toEqual({ min: 2, max: 96 });
    expect(derived.settings.reservedConcurrency).toBe(96);
    const flood = deriveSettings(someRequirements({ traffic: { requestsPerSecond: 50_000 }, latencyMs: 500 }));
    expect(flood.settings.reservedConcurrency).toBeUndefined();
    // 50,000/s held 0.5 s, twice over with 20% headroom: 60,000; the quota to ask for keeps 100 unreserved
    expect(reasonFor(flood, "reservedConcurrency")).toContain("request a Lambda concurrent executions quota of at least 60100 (Service Quotas code L-B99A9384)");
  });

  it("keeps the sum over the functions that each reserve it within the default quota, and names the increase when it cannot", () => {
    // 50/s held 2 s, twice over with 20% headroom: 240 a function
    const events = someRequirements({ traffic: { requestsPerSecond: 50 }, latencyMs: 2000 });
    expect(deriveSettings(events).settings.reservedConcurrency).toBe(240);
    expect(deriveSettings(events, { reservedFunctions: 3 }).settings.reservedConcurrency).toBe(240);
    const five = deriveSettings(events, { reservedFunctions: 5 });
    expect(five.settings.reservedConcurrency).toBeUndefined();
    expect(reasonFor(five, "reservedConcurrency")).toContain("on each of the 5 functions that serve requests (1200 in all)");
    expect(reasonFor(five, "reservedConcurrency")).toContain("request a Lambda concurrent executions quota of at least 1300");
  });

  it("maps compliance regimes to cdk-nag packs and says plainly that SOC 2 has none", () => {
    const derived = deriveSettings(someRequirements({ compliance: ["hipaa", "pci-dss", "soc2", "gdpr"] }));
    expect(derived.nagPacks).toEqual(["HIPAASecurityChecks", "PCIDSS321Checks", "NIST80053R5Checks"]);
    expect(derived.settings.compliance).toEqual(["hipaa", "pci-dss", "soc2", "gdpr"]);
    expect(derived.settings.backupRetentionDays).toBe(35);
    expect(derived.notes.join(" ")).toMatch(/SOC 2 has no cdk-nag rule pack.*NIST 800-53 rev 5/);
    expect(derived.notes.join(" ")).toMatch(/GDPR has no cdk-nag rule pack/);
  });

  it("gives every setting it makes a reason naming the requirement", () => {
    const derived = deriveSettings(someRequirements({ availability: 99.99, rpo: "5m", compliance: ["hipaa"], traffic: { eventsPerSecond: 5000 } }));
    for (const key of Object.keys(derived.settings).filter((k) => k !== "compliance")) expect(reasonFor(derived, key), key).toBeTruthy();
  });
});
