// Whether a device may get its own certificate: a pure function, tested in test/provisioning-hook.test.ts.

/** Serial numbers as manufacturing prints them: upper-case letters, digits and dashes. They become thing names. */
export const SERIAL = /^[A-Z0-9][A-Z0-9-]{2,62}[A-Z0-9]$/;

/** The allowlist entry of a serial number, as the hook read it. */
export type AllowlistEntry = { status: string | undefined };
export type Decision = { allowProvisioning: true } | { allowProvisioning: false; reason: string };

/**
 * The answer to a fleet provisioning request. Only serial numbers manufacturing recorded as shipped
 * are admitted; a device that already provisioned (status PROVISIONED) or was retired is refused, so a
 * leaked claim certificate cannot mint identities for devices that do not exist or clone one that does.
 */
export function decide(serialNumber: unknown, entry: AllowlistEntry | undefined): Decision {
  if (typeof serialNumber !== "string" || !SERIAL.test(serialNumber)) return { allowProvisioning: false, reason: "malformed serial number" };
  if (!entry) return { allowProvisioning: false, reason: "serial number not on the allowlist" };
  if (entry.status !== "SHIPPED") return { allowProvisioning: false, reason: `serial number is ${String(entry.status).toLowerCase()}` };
  return { allowProvisioning: true };
}
