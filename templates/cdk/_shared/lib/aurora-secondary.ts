import { Aws, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import type { Construct } from "constructs";
import { acknowledgeCompliance } from "./compliance";

/** A key policy statement that lets CloudWatch Logs encrypt this account's log groups in this Region with the key. */
export function logsMayUse(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
    actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
    resources: ["*"],
    conditions: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
  }));
}

/** VPC flow logs (all traffic) to `logGroup`, through a role whose customer managed policy may write there only. */
export function logVpcTraffic(scope: Stack, vpc: ec2.IVpc, logGroup: logs.LogGroup): void {
  const role = new iam.Role(scope, "VpcFlowLogsRole", {
    assumedBy: new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": scope.account } } }),
    description: "Delivers the VPC flow logs",
  });
  const policy = new iam.ManagedPolicy(scope, "VpcFlowLogsPolicy", {
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [logGroup.logGroupArn] })],
  });
  // the L1 resource: the FlowLog construct would give the role an inline policy
  new ec2.CfnFlowLog(scope, "VpcFlowLog", {
    resourceId: vpc.vpcId,
    resourceType: "VPC",
    trafficType: "ALL",
    logDestinationType: "cloud-watch-logs",
    logDestination: logGroup.logGroupArn,
    deliverLogsPermissionArn: role.roleArn,
  }).node.addDependency(policy);
}

/** What the secondary cluster copies from its primary, and how it is described. */
export interface AuroraSecondaryOptions {
  /** the app's name, at the start of descriptions */
  readonly appName: string;
  /** what the database holds, in lower case, for descriptions: "orders database" */
  readonly label: string;
  /** the primary's full engine version (`AuroraPostgresEngineVersion.auroraPostgresFullVersion`): a global database runs one version everywhere */
  readonly engineVersion: string;
  readonly port: number;
  /** Serverless v2 capacity range of each instance, in ACUs: the primary's, so the promoted cluster can take its load */
  readonly capacity: { readonly min: number; readonly max: number };
  /** days of automated backups the secondary keeps of its own */
  readonly backupDays: number;
  readonly logRetention: logs.RetentionDays;
  /** compliance regimes of the app's settings: their packs check the secondary's stack too */
  readonly compliance: readonly string[];
}

export interface AuroraSecondaryStackProps extends StackProps, AuroraSecondaryOptions {
  readonly globalClusterIdentifier: string;
  readonly clusterIdentifier: string;
}

/**
 * The replica Region's half of an Aurora PostgreSQL global database: an isolated VPC with flow logs, a
 * key, and the secondary cluster (two Serverless v2 instances in different zones), read-only until
 * promoted. In compliance mode its log groups are encrypted with the key and the instances send
 * Enhanced Monitoring metrics.
 */
export class AuroraSecondaryStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly database: rds.CfnDBCluster;

  constructor(scope: Construct, id: string, props: AuroraSecondaryStackProps) {
    super(scope, id, props);
    const compliant = props.compliance.length > 0;
    const key = new kms.Key(this, "ReplicaKey", {
      description: compliant ? `${props.appName}: ${props.label} secondary and its logs` : `${props.appName}: ${props.label} secondary`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (compliant) logsMayUse(key);
    const logGroup = (name: string, logGroupName?: string) =>
      new logs.LogGroup(this, name, { logGroupName, retention: props.logRetention, encryptionKey: compliant ? key : undefined, removalPolicy: RemovalPolicy.RETAIN });
    // Only the database lives here, so only isolated subnets: no NAT gateways, no internet route.
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr("10.1.0.0/16"),
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: "data", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    logVpcTraffic(this, this.vpc, logGroup("VpcFlowLogs"));
    // Nothing connects to the secondary until it is promoted; open this group to the clients then.
    const sg = new ec2.SecurityGroup(this, "ReplicaSg", {
      vpc: this.vpc,
      description: `${props.label.charAt(0).toUpperCase()}${props.label.slice(1)} secondary: no clients until promoted`,
      allowAllOutbound: false,
    });
    const subnets = new rds.CfnDBSubnetGroup(this, "ReplicaSubnets", {
      dbSubnetGroupDescription: `${props.appName}: secondary database subnets`,
      subnetIds: this.vpc.selectSubnets({ subnetGroupName: "data" }).subnetIds,
    });
    const parameters = new rds.CfnDBClusterParameterGroup(this, "ReplicaParameters", {
      family: `aurora-postgresql${props.engineVersion.split(".")[0]}`,
      description: `${props.appName} secondary: TLS only, slow statements logged`,
      parameters: { "rds.force_ssl": "1", log_min_duration_statement: "1000" },
    });
    const databaseLogs = logGroup("ReplicaLogs", `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`);
    // The master user and password come from the global database, so none are set (hence L1).
    this.database = new rds.CfnDBCluster(this, "Replica", {
      dbClusterIdentifier: props.clusterIdentifier,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: "aurora-postgresql",
      engineVersion: props.engineVersion,
      dbSubnetGroupName: subnets.ref,
      vpcSecurityGroupIds: [sg.securityGroupId],
      dbClusterParameterGroupName: parameters.ref,
      port: props.port,
      storageEncrypted: true,
      kmsKeyId: key.keyArn,
      enableIamDatabaseAuthentication: true,
      deletionProtection: true,
      backupRetentionPeriod: props.backupDays,
      copyTagsToSnapshot: true,
      enableCloudwatchLogsExports: ["postgresql"],
      serverlessV2ScalingConfiguration: { minCapacity: props.capacity.min, maxCapacity: props.capacity.max },
    });
    this.database.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.database.node.addDependency(databaseLogs);
    // Compliance mode: operating-system metrics every minute, through the role RDS uses for them.
    const monitoringRole = compliant
      ? new iam.Role(this, "MonitoringRole", {
          assumedBy: new iam.ServicePrincipal("monitoring.rds.amazonaws.com"),
          description: "Enhanced Monitoring of the secondary's instances",
          managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonRDSEnhancedMonitoringRole")],
        })
      : undefined;
    if (monitoringRole) {
      Validations.of(monitoringRole).acknowledge({
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]",
        reason: "Enhanced Monitoring's role needs exactly the AWS-maintained AmazonRDSEnhancedMonitoringRole policy (it writes to the RDSOSMetrics log group).",
      });
    }
    // Two instances in different zones: the promoted cluster has a failover target from the start.
    this.vpc.availabilityZones.slice(0, 2).forEach((availabilityZone, index) => {
      const instance = new rds.CfnDBInstance(this, `ReplicaInstance${index + 1}`, {
        dbClusterIdentifier: this.database.ref,
        dbInstanceClass: "db.serverless",
        engine: "aurora-postgresql",
        availabilityZone,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: key.keyArn,
        monitoringInterval: monitoringRole ? 60 : undefined,
        monitoringRoleArn: monitoringRole?.roleArn,
      });
      instance.applyRemovalPolicy(RemovalPolicy.RETAIN);
      acknowledgeCompliance(
        instance,
        props.compliance,
        "RDSInBackupPlan",
        `The secondary cluster is a continuous copy of the primary and keeps ${props.backupDays} days of its own automated backups (point-in-time restore of the whole cluster); AWS Backup protects Aurora per cluster and cannot select its instances, which this rule looks for.`,
        ["hipaa", "soc2"],
      );
    });
  }
}

/** `settings.replication`: the Region of the primary stack, and the Region of the secondary cluster. */
export interface Replication {
  readonly primaryRegion: string;
  readonly replicaRegion: string;
}

export interface GlobalDatabaseProps extends AuroraSecondaryOptions {
  readonly replication: Replication;
  /** the primary cluster's `clusterIdentifier`: the global cluster is named `<it>-global`, the secondary `<it>-replica` */
  readonly clusterIdentifier: string;
}

export interface GlobalDatabase {
  /** the global cluster, in the primary stack, with `cluster` as its source */
  readonly globalDatabase: rds.CfnGlobalCluster;
  /** the sibling stack in the replica Region that holds the secondary cluster */
  readonly replica: AuroraSecondaryStack;
}

/**
 * Makes `cluster` the primary of an Aurora global database: storage-level replication (typically
 * under a second behind) to a read-only secondary cluster in `replication.replicaRegion`, which can be
 * promoted to take writes. The secondary lives in a sibling stack, `<primary stack id>Replica`, that
 * names the global cluster by its identifier (no reference crosses Regions) and deploys after the
 * primary stack (`cdk deploy --all`). The global cluster has deletion protection and is retained.
 */
export function addGlobalDatabase(primary: Stack, cluster: rds.DatabaseCluster, props: GlobalDatabaseProps): GlobalDatabase {
  const { replication, clusterIdentifier, ...options } = props;
  const globalClusterIdentifier = `${clusterIdentifier}-global`;
  const globalDatabase = new rds.CfnGlobalCluster(primary, "GlobalDatabase", {
    globalClusterIdentifier,
    sourceDbClusterIdentifier: cluster.clusterArn,
    deletionProtection: true,
  });
  globalDatabase.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const replica = new AuroraSecondaryStack(primary.node.scope as Construct, `${primary.node.id}Replica`, {
    ...options,
    env: { account: Token.isUnresolved(primary.account) ? undefined : primary.account, region: replication.replicaRegion },
    description: `${options.appName}: secondary cluster of the ${options.label} in ${replication.replicaRegion}`,
    globalClusterIdentifier,
    clusterIdentifier: `${clusterIdentifier}-replica`,
  });
  replica.addStackDependency(primary);
  return { globalDatabase, replica };
}

/**
 * The primary cluster's master user. Without replication RDS keeps its password in Secrets Manager and
 * rotates it (`manageMasterUserPassword`); RDS does not do that for a cluster in an Aurora global
 * database, so with replication the password is a secret generated here, under `key`, with a copy in
 * the replica Region for after a promotion. The copy is under that Region's AWS managed key
 * (aws/secretsmanager): a customer managed key there would have to exist before this stack deploys,
 * and the replica Region's stack deploys after it. `rotateMasterSecret` rotates the secret.
 */
export function masterCredentials(username: string, key: kms.IKey, replication: Replication | undefined): Pick<rds.DatabaseClusterProps, "credentials" | "manageMasterUserPassword"> {
  return replication
    ? { credentials: rds.Credentials.fromGeneratedSecret(username, { encryptionKey: key, replicaRegions: [{ region: replication.replicaRegion }] }) }
    : { credentials: rds.Credentials.fromUsername(username, { encryptionKey: key }), manageMasterUserPassword: true };
}

/** The description of the output that names the master user secret. */
export function masterSecretDescription(replication: Replication | undefined): string {
  return replication
    ? `Master user secret (rotated every 30 days by Secrets Manager, copied to ${replication.replicaRegion})`
    : "Master user secret (managed and rotated by RDS)";
}

/** Where the rotation function runs and how it reaches the Secrets Manager API. */
export interface MasterSecretRotation {
  /** subnets of the cluster's VPC for the function: with a route through a NAT gateway, or with `endpoint` */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** the VPC's Secrets Manager interface endpoint, when `vpcSubnets` have no route to the internet */
  readonly endpoint?: ec2.IInterfaceVpcEndpoint;
  /** the cluster's port */
  readonly port: number;
}

/**
 * With replication, rotates the master secret of `masterCredentials` every 30 days: a Secrets Manager
 * rotation function (AWS's single-user PostgreSQL application) in the cluster's VPC, whose security
 * group lets it out only to the cluster's port and to the Secrets Manager API (its endpoint, or HTTPS
 * through the NAT gateways). Without replication RDS rotates the password itself, and nothing is added.
 */
export function rotateMasterSecret(cluster: rds.DatabaseCluster, replication: Replication | undefined, options: MasterSecretRotation): void {
  if (!replication) return;
  const securityGroup = new ec2.SecurityGroup(cluster, "RotationSg", {
    vpc: cluster.vpc,
    description: "Master secret rotation: the database and the Secrets Manager API",
    allowAllOutbound: false,
  });
  if (!options.endpoint) securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "Secrets Manager API through the NAT gateways");
  cluster.addRotationSingleUser({ automaticallyAfter: Duration.days(30), vpcSubnets: options.vpcSubnets, endpoint: options.endpoint, securityGroup });
  // CDK opens the way from the function to the cluster on the port it reads from the cluster at deploy
  // time; written here as the number it is, so checks can read it.
  for (const group of [securityGroup, ...cluster.connections.securityGroups]) {
    for (const rule of group.node.children) {
      if ((rule instanceof ec2.CfnSecurityGroupIngress || rule instanceof ec2.CfnSecurityGroupEgress) && Token.isUnresolved(rule.fromPort)) {
        rule.fromPort = options.port;
        rule.toPort = options.port;
      }
    }
  }
}
