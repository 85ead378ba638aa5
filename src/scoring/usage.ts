import { DERIVATION } from "../requirements/basis.ts";
import { toSeconds } from "../requirements/duration.ts";
import type { Requirements } from "../requirements/schema.ts";

/**
 * Monthly usage that cost terms can be priced on (`per: usage.requestsPerMonth`), computed from the
 * requirements by plain arithmetic. Peaks become means with the same peak-to-mean ratios as the
 * derivations of the requirements; a month is 30.44 days.
 */
export const USAGE_QUANTITIES = [
  "usage.requestsPerMonth",
  "usage.eventsPerMonth",
  "usage.imagesPerMonth",
  "usage.imageGbPerMonth",
  "usage.videoHoursPerMonth",
  "usage.batchVcpuHoursPerMonth",
  "usage.dataGbPerMonth",
] as const;
export type UsageQuantity = (typeof USAGE_QUANTITIES)[number];

/** How a person reads each quantity. */
export const USAGE_LABELS: Readonly<Record<UsageQuantity, string>> = {
  "usage.requestsPerMonth": "requests a month",
  "usage.eventsPerMonth": "events a month",
  "usage.imagesPerMonth": "images a month",
  "usage.imageGbPerMonth": "GB of new images a month",
  "usage.videoHoursPerMonth": "hours of video a month",
  "usage.batchVcpuHoursPerMonth": "batch vCPU-hours a month",
  "usage.dataGbPerMonth": "GB of new data a month",
};

const DAYS_PER_MONTH = DERIVATION.secondsPerMonth / 86_400;

export function usageOf(r: Requirements, quantity: UsageQuantity): number {
  const mean = (peak: number) => peak / DERIVATION.peakToMean[r.traffic.shape];
  switch (quantity) {
    case "usage.requestsPerMonth":
      return mean(r.traffic.requestsPerSecond) * DERIVATION.secondsPerMonth;
    case "usage.eventsPerMonth":
      return mean(r.traffic.eventsPerSecond) * DERIVATION.secondsPerMonth;
    case "usage.imagesPerMonth":
      return r.media.imagesPerDay * DAYS_PER_MONTH;
    case "usage.imageGbPerMonth":
      return (r.media.imagesPerDay * r.media.imageMb * DAYS_PER_MONTH) / 1000;
    case "usage.videoHoursPerMonth":
      return r.media.videoHoursPerDay * DAYS_PER_MONTH;
    case "usage.batchVcpuHoursPerMonth":
      // every job for its run length on its vCPUs (the peak, when no per-job figure is given)
      return r.batch.jobsPerDay * (toSeconds(r.batch.jobDuration) / 3600) * (r.batch.jobVcpus || r.batch.peakVcpus) * DAYS_PER_MONTH;
    case "usage.dataGbPerMonth":
      return r.data.dailyVolumeGb * DAYS_PER_MONTH;
  }
}
