import { CfnResource } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Marks a data store that needs no copy in a second Region, with the reason, in the template's
 * resource metadata. `aws-patterns verify` (rule StoresReplicateAcrossRegions) then reports the
 * store as acknowledged rather than as missing its replica when the RPO asks for replication.
 */
export function replicationNotNeeded(store: IConstruct, reason: string): void {
  const resource = store instanceof CfnResource ? store : store.node.defaultChild;
  if (!(resource instanceof CfnResource)) throw new Error(`${store.node.path}: no CloudFormation resource to mark`);
  resource.addMetadata("aws-patterns:replication", "not-needed");
  resource.addMetadata("aws-patterns:reason", reason);
}
