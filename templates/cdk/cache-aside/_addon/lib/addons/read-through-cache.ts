import * as path from "node:path";
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elasticache from "aws-cdk-lib/aws-elasticache";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { bundling } from "../bundling";
import { type CacheClient, cacheClientsOf } from "../cache-clients";
import type { AddonProps } from "../host";

export interface ReadThroughCacheProps extends AddonProps {
  /** ElastiCache node type. Default cache.t4g.small. */
  readonly nodeType?: string;
  /** Days the cache's and the rotation function's logs are kept. Default one month (one year in compliance mode). */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Valkey replication group for cache-aside reads: private subnets, TLS in transit, KMS at rest,
 * an AUTH token kept in Secrets Manager and rotated every 30 days, slow and engine logs in
 * CloudWatch. It joins the host's VPC when there is one with private subnets (reachable from the
 * whole VPC CIDR on `port`; narrow that with `connections`), else it builds a small isolated VPC
 * of its own.
 *
 * Clients connect with TLS to `endpointAddress:port` and send `AUTH <token>` first; the token is the
 * `token` field of `authToken`. `connect(client)` gives a function in the VPC all it needs to use the
 * helpers of lambda/cache/read-through.ts, and the construct does so for every function the stack
 * lists as `cacheClients` (lib/cache-clients.ts). `grantConnect(role)` gives any other role the
 * permissions to read the token.
 */
export class ReadThroughCache extends Construct {
  /** the port the cache listens on (not the engine default, which scanners try first) */
  readonly port = 6380;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.SecurityGroup;
  /** the cache's security group with its port as the default, for `allowDefaultPortFrom(...)` */
  readonly connections: ec2.Connections;
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** primary endpoint: reads and writes */
  readonly endpointAddress: string;
  /** reader endpoint: spreads reads over the replicas */
  readonly readerEndpointAddress: string;
  /** JSON secret `{ "token": "..." }`: the AUTH token */
  readonly authToken: secretsmanager.Secret;
  /** customer managed key of the cache, its token and its logs */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReadThroughCacheProps) {
    super(scope, id);
    const s = props.settings;
    const compliance = s.compliance.length > 0;
    const multiAz = s.multiAz ?? true;
    // compliance packs want at least 15 days of snapshots; ElastiCache keeps at most 35
    const snapshotDays = Math.min(35, Math.max(s.backupRetentionDays ?? 7, compliance ? 15 : 1));
    const logRetention = props.logRetention ?? (compliance ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH);

    this.key = new kms.Key(this, "Key", {
      description: `${this.node.path}: cache data, AUTH token and logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the log groups below with this key, for log groups of this account only.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
      resources: ["*"],
      conditions: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
    }));
    const logGroup = (name: string) =>
      new logs.LogGroup(this, name, { encryptionKey: this.key, retention: logRetention, removalPolicy: RemovalPolicy.RETAIN });

    // a host VPC with only public subnets has no place for a cache: then it gets a VPC of its own too
    const hostVpc = props.host.vpc;
    const ownVpc = hostVpc === undefined || hostVpc.isolatedSubnets.length + hostVpc.privateSubnets.length === 0;
    // the functions of the stack that read through the cache or clear it on write
    const clients = cacheClientsOf(this);
    if (clients.length > 0 && ownVpc) {
      throw new Error(`${Stack.of(this).node.path} lists cache clients but lends no VPC with private subnets; the cache and its clients must share one`);
    }
    this.vpc = ownVpc ? this.createVpc(logGroup, compliance) : hostVpc;
    const vpc = this.vpc;
    const cacheSubnets = vpc.isolatedSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    this.securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc,
      description: `${this.node.path}: Valkey clients in the VPC`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.ipv4(cidrOf(vpc)), ec2.Port.tcp(this.port), "Valkey over TLS from the VPC");
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(this.port) });

    this.authToken = new secretsmanager.Secret(this, "AuthToken", {
      description: `${this.node.path}: AUTH token of the cache`,
      encryptionKey: this.key,
      // ElastiCache accepts 16 to 128 printable characters without @, " or /
      generateSecretString: { secretStringTemplate: "{}", generateStringKey: "token", excludePunctuation: true, passwordLength: 64 },
    });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, "Subnets", {
      description: `${this.node.path}: cache subnets`,
      subnetIds: vpc.selectSubnets(cacheSubnets).subnetIds,
    });
    const cacheLogs = logGroup("Logs");
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, "ReplicationGroup", {
      replicationGroupDescription: `${this.node.path}: read-through cache`,
      engine: "valkey",
      engineVersion: "8.0",
      cacheNodeType: props.nodeType ?? "cache.t4g.small",
      // a primary and a replica in another zone, promoted automatically if the primary fails
      numCacheClusters: multiAz ? 2 : 1,
      multiAzEnabled: multiAz,
      automaticFailoverEnabled: multiAz,
      port: this.port,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      kmsKeyId: this.key.keyArn,
      transitEncryptionEnabled: true,
      authToken: this.authToken.secretValueFromJson("token").unsafeUnwrap(),
      snapshotRetentionLimit: snapshotDays,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: ["slow-log", "engine-log"].map((logType) => ({
        logType,
        logFormat: "json",
        destinationType: "cloudwatch-logs",
        destinationDetails: { cloudWatchLogsDetails: { logGroup: cacheLogs.logGroupName } },
      })),
    });
    // the cache holds copies only: a final snapshot is enough on delete
    this.replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    if (!multiAz) {
      Validations.of(this.replicationGroup).acknowledge({
        id: "AwsSolutions-AEC4",
        reason: "The settings turn Multi-AZ off (multiAz: false): one node, and a lost node only costs cache misses, since the database stays the source of truth.",
      });
    }
    this.endpointAddress = this.replicationGroup.attrPrimaryEndPointAddress;
    this.readerEndpointAddress = this.replicationGroup.attrReaderEndPointAddress;

    this.rotateToken(logGroup, compliance, ownVpc);

    for (const client of clients) this.connect(client);
  }

  /**
   * Lets a function in the cache's VPC read through it: CACHE_HOST, CACHE_PORT and
   * CACHE_TOKEN_SECRET_ARN in its environment (lambda/cache/read-through.ts reads them), the token's
   * permissions in its policy, and the cache port open from its security groups to the cache.
   */
  connect({ fn, policy }: CacheClient): void {
    if (!fn.isBoundToVpc) throw new Error(`${fn.node.path} does not run in a VPC, so it cannot reach the cache`);
    fn.addEnvironment("CACHE_HOST", this.endpointAddress);
    fn.addEnvironment("CACHE_PORT", String(this.port));
    fn.addEnvironment("CACHE_TOKEN_SECRET_ARN", this.authToken.secretArn);
    policy.addStatements(...this.tokenStatements());
    fn.connections.allowTo(this.connections, ec2.Port.tcp(this.port), "Valkey over TLS");
  }

  /** Lets `grantee` read the AUTH token: GetSecretValue on the secret, Decrypt with its key. */
  grantConnect(grantee: iam.IGrantable): void {
    for (const statement of this.tokenStatements()) grantee.grantPrincipal.addToPrincipalPolicy(statement);
  }

  private tokenStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [this.authToken.secretArn] }),
      new iam.PolicyStatement({ actions: ["kms:Decrypt"], resources: [this.key.keyArn] }),
    ];
  }

  /**
   * A VPC of the cache's own (when the host has none): isolated subnets in two zones, the default
   * security group closed, flow logs; in compliance mode, endpoints for the APIs the rotation
   * function calls from inside it.
   */
  private createVpc(logGroup: (name: string) => logs.LogGroup, compliance: boolean): ec2.Vpc {
    const vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr("10.60.0.0/16"),
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: "cache", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const flowLogs = logGroup("FlowLogs");
    const role = new iam.Role(this, "FlowLogRole", {
      assumedBy: new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: "Writes the cache VPC's flow logs",
    });
    const policy = new iam.ManagedPolicy(this, "FlowLogPolicy", {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [flowLogs.logGroupArn] })],
    });
    // the L1 resource: the FlowLog construct would give the role an inline policy
    new ec2.CfnFlowLog(this, "FlowLog", {
      resourceId: vpc.vpcId,
      resourceType: "VPC",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogs.logGroupArn,
      deliverLogsPermissionArn: role.roleArn,
    }).node.addDependency(policy);
    if (compliance) {
      const endpointSg = new ec2.SecurityGroup(this, "EndpointSg", { vpc, description: "Interface endpoints: HTTPS from the VPC", allowAllOutbound: false });
      endpointSg.addIngressRule(ec2.Peer.ipv4(cidrOf(vpc)), ec2.Port.tcp(443), "HTTPS from the VPC");
      const services: [string, ec2.InterfaceVpcEndpointAwsService][] = [
        ["SecretsManager", ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
        ["ElastiCache", ec2.InterfaceVpcEndpointAwsService.ELASTICACHE],
      ];
      for (const [name, service] of services) vpc.addInterfaceEndpoint(name, { service, privateDnsEnabled: true, securityGroups: [endpointSg], open: false });
    }
    return vpc;
  }

  /**
   * The function that rotates the AUTH token every 30 days, with exactly the permissions it uses.
   * In compliance mode it runs inside the VPC (private subnets with a NAT route if the VPC has them,
   * else isolated ones, which then need Secrets Manager and ElastiCache endpoints).
   */
  private rotateToken(logGroup: (name: string) => logs.LogGroup, compliance: boolean, ownVpc: boolean) {
    const rotationLogs = logGroup("RotationLogs");
    const role = new iam.Role(this, "RotationRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "Rotates the cache AUTH token",
    });
    const groupArn = Stack.of(this).formatArn({
      service: "elasticache",
      resource: "replicationgroup",
      resourceName: this.replicationGroup.ref,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const statements = [
      new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [rotationLogs.logGroupArn] }),
      new iam.PolicyStatement({
        actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
        resources: [this.authToken.secretArn],
      }),
      new iam.PolicyStatement({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [this.key.keyArn] }),
      new iam.PolicyStatement({ actions: ["elasticache:DescribeReplicationGroups", "elasticache:ModifyReplicationGroup"], resources: [groupArn] }),
    ];
    if (compliance) {
      statements.push(new iam.PolicyStatement({
        actions: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        resources: ["*"],
      }));
    }
    // a customer managed policy: compliance packs reject inline policies
    const policy = new iam.ManagedPolicy(this, "RotationPolicy", { roles: [role], statements });
    let network: Pick<lambda.FunctionProps, "vpc" | "vpcSubnets" | "securityGroups"> = {};
    if (compliance) {
      const sg = new ec2.SecurityGroup(this, "RotationSg", { vpc: this.vpc, description: "Cache token rotation: HTTPS to AWS APIs", allowAllOutbound: false });
      sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to Secrets Manager and ElastiCache (endpoints or NAT)");
      const egress = !ownVpc && this.vpc.privateSubnets.length > 0;
      network = { vpc: this.vpc, vpcSubnets: { subnetType: egress ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [sg] };
      Validations.of(policy).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason: "The EC2 network-interface actions a function in a VPC needs support no resource-level permissions; the statement allows only those actions.",
      });
    }
    const rotate = new NodejsFunction(this, "Rotation", {
      description: "Rotates the ElastiCache AUTH token kept in Secrets Manager",
      entry: path.join(__dirname, "..", "..", "lambda", "rotate-cache-token", "index.ts"),
      handler: "handler",
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      bundling,
      memorySize: 256,
      // a modification of the group takes minutes; the function waits for it
      timeout: Duration.minutes(15),
      role: role.withoutPolicyUpdates(),
      logGroup: rotationLogs,
      reservedConcurrentExecutions: compliance ? 1 : undefined,
      environment: { REPLICATION_GROUP_ID: this.replicationGroup.ref },
      ...network,
    });
    rotate.node.addDependency(policy);
    if (compliance) {
      for (const id of ["HIPAA.Security-LambdaDLQ", "NIST.800.53.R5-LambdaDLQ"]) {
        Validations.of(rotate).acknowledge({
          id,
          reason: "Secrets Manager invokes the rotation function synchronously and retries a failed step itself; a dead-letter queue only receives asynchronous invocations, so it would stay empty.",
        });
      }
    }
    rotate.addPermission("SecretsManagerInvoke", {
      principal: new iam.ServicePrincipal("secretsmanager.amazonaws.com"),
      sourceArn: this.authToken.secretArn,
    });
    const schedule = new secretsmanager.CfnRotationSchedule(this, "RotationSchedule", {
      secretId: this.authToken.secretArn,
      rotationLambdaArn: rotate.functionArn,
      rotationRules: { scheduleExpression: "rate(30 days)" },
      rotateImmediatelyOnUpdate: false,
    });
    schedule.node.addDependency(rotate.node.findChild("SecretsManagerInvoke"));
  }
}

/**
 * The VPC's address range as written in the template when it is known at synth (a VPC built in
 * this app), so rule checks can read it; otherwise the deploy-time attribute.
 */
function cidrOf(vpc: ec2.IVpc): string {
  const literal = vpc instanceof ec2.Vpc ? (vpc.node.defaultChild as ec2.CfnVPC).cidrBlock : undefined;
  return literal !== undefined && !Token.isUnresolved(literal) ? literal : vpc.vpcCidrBlock;
}
