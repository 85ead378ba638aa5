import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";

/** What every part of the stack shares: the app's name, its key, its alarm topic, and the compliance regimes. */
export interface Shared {
  readonly appName: string;
  readonly key: kms.IKey;
  readonly alarms: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
  /** compliance regimes of the settings; compliance mode when not empty */
  readonly compliance: readonly string[];
}

/** A log group encrypted with the app's key, kept for the retention, retained on delete. */
export function logGroup(scope: Construct, id: string, shared: Shared, logGroupName?: string): logs.LogGroup {
  return new logs.LogGroup(scope, id, { logGroupName, encryptionKey: shared.key, retention: shared.logRetention, removalPolicy: RemovalPolicy.RETAIN });
}

/**
 * A role whose permissions are one customer managed policy (never an inline one: the compliance packs
 * reject those), attached from the policy side so trust policies may name the role without a cycle.
 */
export function roleWithPolicy(scope: Construct, id: string, assumedBy: iam.IPrincipal, description: string, statements: iam.PolicyStatement[]): { role: iam.Role; policy: iam.ManagedPolicy } {
  const role = new iam.Role(scope, id, { assumedBy, description });
  const policy = new iam.ManagedPolicy(scope, `${id}Policy`, { roles: [role], description, statements });
  return { role, policy };
}

/** Acknowledges `AwsSolutions-IAM5[Resource::*]` on a policy whose only wildcard statement has no resource-level permissions. */
export function acknowledgeNoResourceLevel(policy: Construct, what: string): void {
  Validations.of(policy).acknowledge({ id: "AwsSolutions-IAM5[Resource::*]", reason: `${what} support no resource-level permissions; the statement allows only those actions.` });
}

/** An alarm on one metric that notifies the app's topic. */
export function alarmTo(scope: Construct, id: string, shared: Shared, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods = 1): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold,
    evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(shared.alarms));
  return alarm;
}
