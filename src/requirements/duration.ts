/** Durations as users write them: `0`, or a number with a unit: 30s, 5m, 1.5h, 1d. */
export const DURATION_PATTERN = /^(0|\d+(\.\d+)?[smhd])$/;

const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Seconds in a duration string already checked against DURATION_PATTERN. */
export function toSeconds(duration: string): number {
  if (duration === "0") return 0;
  const unit = duration.slice(-1) as keyof typeof SECONDS_PER_UNIT;
  return Number(duration.slice(0, -1)) * SECONDS_PER_UNIT[unit];
}

/** A short human form of a number of seconds: 300 -> "5 min". */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return "zero";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86400)} d`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
