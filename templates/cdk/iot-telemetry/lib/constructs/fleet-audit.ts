import { Aws, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as iot from "aws-cdk-lib/aws-iot";
import { Construct } from "constructs";

import { logGroup, roleWithPolicy, type Shared } from "../shared";

export interface FleetAuditProps {
  readonly shared: Shared;
  /**
   * Create the account-wide settings: the Device Defender audit configuration and IoT Core logging.
   * Both exist once per account and Region; turn this off in every other app of the same account.
   */
  readonly accountSettings: boolean;
}

/** Audit checks run daily: identity, policy and certificate hygiene of the fleet. */
const DAILY_CHECKS = [
  "DEVICE_CERTIFICATE_SHARED_CHECK",
  "CONFLICTING_CLIENT_IDS_CHECK",
  "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
  "DEVICE_CERTIFICATE_EXPIRING_CHECK",
  "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK",
  "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK",
  "CA_CERTIFICATE_EXPIRING_CHECK",
  "LOGGING_DISABLED_CHECK",
] as const;

/**
 * AWS IoT Device Defender: a daily audit of the account's IoT configuration against best practice, and
 * a Rules Detect security profile on cloud-side metrics of every registered thing (authorization
 * failures and message rate), both notifying the app's encrypted topic; plus IoT Core
 * logging at WARN to an encrypted log group.
 */
export class FleetAudit extends Construct {
  readonly securityProfile: iot.CfnSecurityProfile;

  constructor(scope: Construct, id: string, props: FleetAuditProps) {
    super(scope, id);
    const { shared } = props;
    const iotService = new iam.ServicePrincipal("iot.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } });

    // Device Defender publishes findings and violations to the KMS-encrypted topic with this role.
    const notify = roleWithPolicy(this, "NotifyRole", iotService, `${shared.appName}: Device Defender notifications`, [
      new iam.PolicyStatement({ actions: ["sns:Publish"], resources: [shared.alarms.topicArn] }),
      new iam.PolicyStatement({ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [shared.key.keyArn] }),
    ]);

    if (props.accountSettings) {
      const auditRole = new iam.Role(this, "AuditRole", {
        assumedBy: iotService,
        description: `${shared.appName}: Device Defender reads the IoT configuration it audits`,
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSIoTDeviceDefenderAudit")],
      });
      Validations.of(auditRole).acknowledge({
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSIoTDeviceDefenderAudit]",
        reason: "Device Defender assumes this role to read certificates, policies, Cognito and logging settings across the account; AWSIoTDeviceDefenderAudit is the AWS-maintained, read-only policy made for it and updated as audit checks are added.",
      });
      const enabled = { enabled: true };
      const audit = new iot.CfnAccountAuditConfiguration(this, "AuditConfiguration", {
        accountId: Aws.ACCOUNT_ID,
        roleArn: auditRole.roleArn,
        auditCheckConfigurations: {
          deviceCertificateSharedCheck: enabled,
          conflictingClientIdsCheck: enabled,
          iotPolicyOverlyPermissiveCheck: enabled,
          deviceCertificateExpiringCheck: enabled,
          deviceCertificateKeyQualityCheck: enabled,
          revokedDeviceCertificateStillActiveCheck: enabled,
          caCertificateExpiringCheck: enabled,
          loggingDisabledCheck: enabled,
        },
        auditNotificationTargetConfigurations: { sns: { enabled: true, roleArn: notify.role.roleArn, targetArn: shared.alarms.topicArn } },
      });
      audit.node.addDependency(notify.policy);
      new iot.CfnScheduledAudit(this, "DailyAudit", {
        scheduledAuditName: `${shared.appName}-daily`,
        frequency: "DAILY",
        targetCheckNames: [...DAILY_CHECKS],
      }).node.addDependency(audit);

      // IoT Core writes its logs to the AWSIotLogsV2 log group: created here, encrypted and with a retention.
      const iotLogs = logGroup(this, "IotLogs", shared, "AWSIotLogsV2");
      const logging = roleWithPolicy(this, "LoggingRole", iotService, `${shared.appName}: IoT Core logging`, [
        new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:PutMetricFilter"], resources: [iotLogs.logGroupArn] }),
      ]);
      new iot.CfnLogging(this, "Logging", { accountId: Aws.ACCOUNT_ID, defaultLogLevel: "WARN", roleArn: logging.role.roleArn }).node.addDependency(logging.policy, iotLogs);
    }

    // Rules Detect on cloud-side metrics: a compromised or broken device shows up as failed authorizations or a message flood.
    const behavior = (name: string, metric: string, comparisonOperator: string, count: number): iot.CfnSecurityProfile.BehaviorProperty => ({
      name,
      metric,
      criteria: { comparisonOperator, value: { count: String(count) }, durationSeconds: 300, consecutiveDatapointsToAlarm: 2, consecutiveDatapointsToClear: 2 },
    });
    this.securityProfile = new iot.CfnSecurityProfile(this, "SecurityProfile", {
      securityProfileName: `${shared.appName}-devices`,
      securityProfileDescription: "Cloud-side behaviour every device of the fleet is expected to keep",
      behaviors: [
        behavior("AuthorizationFailures", "aws:num-authorization-failures", "greater-than", 5),
        behavior("MessagesSent", "aws:num-messages-sent", "greater-than", 300),
      ],
      alertTargets: { SNS: { alertTargetArn: shared.alarms.topicArn, roleArn: notify.role.roleArn } },
      targetArns: [`arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:all/registered-things`],
    });
    this.securityProfile.node.addDependency(notify.policy);
  }
}
