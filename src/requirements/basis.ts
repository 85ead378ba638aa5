import { formatNumber } from "../format-number.ts";
import { FIELDS, getPath, setPath } from "./fields.ts";
import type { Requirements } from "./schema.ts";
import type { Workload } from "./values.ts";

/**
 * What the advice may lean on. A field the user stated (file, flag or answer) is scored; a field
 * derived from stated ones is scored and labelled as derived; every other field keeps its default
 * for scaffolds and the cost estimate, but earns no points for or against any entry.
 */
export type Derivation = { on: string; value: number; from: readonly string[]; says: string };
export type Basis = {
  /** field paths the user gave */
  stated: ReadonlySet<string>;
  /** quantities computed from stated ones; never over a stated value */
  derived: ReadonlyMap<string, Derivation>;
  /** the stated values alone, shaped as a requirements file */
  statedData: Readonly<Record<string, unknown>>;
};
export type Assessed = { requirements: Requirements; basis: Basis };

/** Stated or derived: a field the scoring may use. */
export function isKnown(basis: Basis, path: string): boolean {
  return basis.stated.has(path) || basis.derived.has(path);
}

/** The field paths present in raw requirements data (a file with flags and answers laid over it). */
export function statedPaths(data: unknown): Set<string> {
  return new Set(FIELDS.filter((f) => getPath(data, f.path) !== undefined).map((f) => f.path));
}

/** The stated values alone, nested as in a requirements file, in the order of the field table. */
export function statedValues(requirements: Requirements, stated: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (stated.has(f.path)) setPath(out, f.path, structuredClone(getPath(requirements, f.path)));
  return out;
}

/**
 * Assumptions behind the derivations, kept in one place with their reasons.
 * - A person active at peak sends about one request every 10 seconds (page views with their API
 *   calls, think time between them): the usual planning figure for web load tests.
 * - The peak of a day is about twice its mean for steady load and three times for load with
 *   spikes, schedules or no known shape; the catalog's cost terms take the mean as a third of peak.
 */
export const DERIVATION = {
  secondsBetweenRequests: 10,
  peakToMean: { steady: 2, spiky: 3, unpredictable: 3, scheduled: 3 },
  secondsPerMonth: 2_629_800,
} as const;

/** GB served a month: requests at their mean (peak over the peak-to-mean ratio) times the response size. */
function egressGbOf(r: Requirements): number {
  return Math.round(((r.traffic.requestsPerSecond / DERIVATION.peakToMean[r.traffic.shape]) * DERIVATION.secondsPerMonth * r.traffic.responseKb) / 1e6);
}

const EVENT_WORKLOADS: readonly Workload[] = ["streaming-analytics", "event-processing", "iot", "realtime-messaging"];
const SERVING_WORKLOADS: readonly Workload[] = ["web-app", "api", "content-delivery", "static-site", "video-processing", "saas", "genai", "realtime-messaging", "ml-inference"];

type Rule = {
  on: string;
  /** inputs that must be stated or derived */
  from: readonly string[];
  applies?: (r: Requirements) => boolean;
  compute: (r: Requirements, known: (path: string) => boolean) => { value: number; says: string };
};

const n = (x: number) => formatNumber(Math.round(x));
const assumedUnless = (known: boolean) => (known ? "" : " (assumed)");

/** Each derivation: one quantity from others the user gave. Applied in order, so later ones may use earlier results. */
const RULES: readonly Rule[] = [
  {
    on: "traffic.requestsPerSecond",
    from: ["traffic.peakConcurrentUsers"],
    compute: (r) => {
      const value = Math.ceil(r.traffic.peakConcurrentUsers / DERIVATION.secondsBetweenRequests);
      return { value, says: `${n(r.traffic.peakConcurrentUsers)} people at once, each sending a request about every ${DERIVATION.secondsBetweenRequests} s, make about ${n(value)} requests/s.` };
    },
  },
  {
    on: "traffic.peakConcurrentUsers",
    from: ["traffic.requestsPerSecond"],
    compute: (r) => {
      const value = r.traffic.requestsPerSecond * DERIVATION.secondsBetweenRequests;
      return { value, says: `${n(r.traffic.requestsPerSecond)} requests/s at one request per person every ${DERIVATION.secondsBetweenRequests} s is about ${n(value)} people at once.` };
    },
  },
  {
    on: "traffic.eventsPerSecond",
    from: ["data.dailyVolumeGb"],
    applies: (r) => r.workload.some((w) => EVENT_WORKLOADS.includes(w)),
    compute: (r, known) => {
      const mean = (r.data.dailyVolumeGb * 1e6) / r.data.eventSizeKb / 86_400;
      const factor = DERIVATION.peakToMean[r.traffic.shape];
      const value = Math.ceil(mean * factor);
      return {
        value,
        says: `${n(r.data.dailyVolumeGb)} GB a day in events of ${formatNumber(r.data.eventSizeKb)} KB${assumedUnless(known("data.eventSizeKb"))} is about ${n(mean)} events/s on average; at a peak ${factor}× the mean, about ${n(value)}.`,
      };
    },
  },
  {
    on: "data.dailyVolumeGb",
    from: ["traffic.eventsPerSecond"],
    applies: (r) => r.workload.some((w) => EVENT_WORKLOADS.includes(w)) && r.traffic.eventsPerSecond > 0,
    compute: (r, known) => {
      const factor = DERIVATION.peakToMean[r.traffic.shape];
      const value = Math.round(((r.traffic.eventsPerSecond / factor) * r.data.eventSizeKb * 86_400) / 1e6 * 10) / 10;
      return {
        value,
        says: `A peak of ${n(r.traffic.eventsPerSecond)} events/s (mean a ${factor === 2 ? "half" : "third"} of it) of ${formatNumber(r.data.eventSizeKb)} KB${assumedUnless(known("data.eventSizeKb"))} each is about ${formatNumber(value)} GB a day.`,
      };
    },
  },
  {
    on: "traffic.monthlyEgressGb",
    from: ["traffic.requestsPerSecond", "traffic.responseKb"],
    applies: (r) => r.workload.some((w) => SERVING_WORKLOADS.includes(w)),
    compute: (r) => {
      const factor = DERIVATION.peakToMean[r.traffic.shape];
      const value = egressGbOf(r);
      return {
        value,
        says: `${n(r.traffic.requestsPerSecond)} requests/s at peak (mean 1/${factor} of it) with ${formatNumber(r.traffic.responseKb)} KB responses serve about ${n(value)} GB a month.`,
      };
    },
  },
  {
    on: "batch.jobVcpus",
    from: ["batch.peakVcpus"],
    compute: (r) => ({ value: r.batch.peakVcpus, says: `With no per-job figure, one job is taken to use the whole peak of ${n(r.batch.peakVcpus)} vCPUs.` }),
  },
];

/**
 * Fills in, for every field the user did not state, what follows from the fields they did, and
 * records how. The requirements are copied, never changed in place; stated values are never touched.
 */
export function deriveQuantities(requirements: Requirements, stated: ReadonlySet<string>, options: { fresh?: boolean } = {}): Assessed {
  // `fresh`: the caller hands over requirements nobody else holds (a what-if ranking), so no copy is needed
  const result = options.fresh === true ? requirements : structuredClone(requirements);
  const derived = new Map<string, Derivation>();
  const known = (path: string) => stated.has(path) || derived.has(path);
  for (const rule of RULES) {
    if (stated.has(rule.on) || derived.has(rule.on)) continue;
    if (!rule.from.every(known)) continue;
    if (rule.applies && !rule.applies(result)) continue;
    const { value, says } = rule.compute(result, known);
    setPath(result as unknown as Record<string, unknown>, rule.on, value);
    derived.set(rule.on, { on: rule.on, value, from: rule.from, says });
  }
  // egress nobody stated and nothing derived still drives CDN cost: compute it from the assumed
  // requests and response size, as an assumption (it stays unscored)
  if (!stated.has("traffic.monthlyEgressGb") && !derived.has("traffic.monthlyEgressGb")) {
    result.traffic.monthlyEgressGb = egressGbOf(result);
  }
  return { requirements: result, basis: { stated, derived, statedData: options.fresh === true ? {} : statedValues(requirements, stated) } };
}

export type Assumption = { on: string; value: unknown; basis: "derived" | "default"; scored: boolean; says: string };

/** Every field the user did not state: derived ones (scored) and defaults (not scored), in the order of the field table. */
export function listAssumptions(assessed: Assessed): Assumption[] {
  const { requirements, basis } = assessed;
  return FIELDS.filter((f) => !basis.stated.has(f.path) && f.path !== "name").map((f) => {
    const derivation = basis.derived.get(f.path);
    const value = getPath(requirements, f.path);
    return derivation
      ? { on: f.path, value, basis: "derived" as const, scored: true, says: derivation.says }
      : { on: f.path, value, basis: "default" as const, scored: false, says: "Not given: the default is used for the cost estimate and scaffolds, and earns no points." };
  });
}
