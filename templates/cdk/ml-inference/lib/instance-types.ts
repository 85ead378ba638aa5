/**
 * Facts about SageMaker AI ML instance types that decide how the endpoint is configured. Kept
 * apart from the stack so they can be tested on their own.
 */

/**
 * Families whose instances carry local NVMe storage, which the instance hardware encrypts. SageMaker AI
 * refuses an endpoint configuration with a KmsKeyId when any variant uses one of them, so the
 * stack leaves the key out for these (the README lists the acknowledgement this needs).
 * GPU and Trainium families with instance store (g4dn, g5, g6, g6e, p3dn, p4d, p4de, p5, p5e,
 * trn1, trn1n) and every general purpose family with a `d` suffix (m5d, c5d, r5d, m6id, c6gd, ...).
 */
const LOCAL_STORAGE_FAMILIES = /^(g4dn|g5|g6|g6e|p3dn|p4d|p4de|p5|p5e|trn1|trn1n|[cmr]\d[a-z]*d)$/;

/** The family of an ML instance type: `g5` for `ml.g5.xlarge`. */
export function familyOf(instanceType: string): string {
  const match = /^ml\.([a-z0-9-]+)\.[a-z0-9]+$/.exec(instanceType);
  if (!match) throw new Error(`not a SageMaker AI instance type: ${instanceType} (expected something like ml.m5.xlarge)`);
  return match[1]!;
}

/** True when the instance type has local NVMe storage, so the endpoint configuration must not name a KMS key. */
export function hasInstanceStorage(instanceType: string): boolean {
  return LOCAL_STORAGE_FAMILIES.test(familyOf(instanceType));
}

/** What the family is for, as the README and the tests read it. */
export function acceleratorOf(instanceType: string): "gpu" | "inferentia" | "cpu" {
  const family = familyOf(instanceType);
  if (/^(g\d|p\d)/.test(family)) return "gpu";
  if (/^inf\d/.test(family)) return "inferentia";
  return "cpu";
}
