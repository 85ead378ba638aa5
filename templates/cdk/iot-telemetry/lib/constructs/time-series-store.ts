import * as path from "node:path";
import { Duration, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kinesis from "aws-cdk-lib/aws-kinesis";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { KinesisEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import * as timestream from "aws-cdk-lib/aws-timestream";
import { Construct } from "constructs";

import { LOCAL_BUNDLING } from "../local-bundling";
import { acknowledgeCompliance } from "../replica";
import { acknowledgeNoResourceLevel, alarmTo, logGroup, roleWithPolicy, type Shared } from "../shared";

export interface TimeSeriesStoreProps {
  readonly shared: Shared;
  readonly vpc: ec2.IVpc;
  /** security group of the VPC's interface endpoints (Secrets Manager): the writer is let in */
  readonly endpoints: ec2.ISecurityGroup;
  readonly stream: kinesis.IStream;
  /** where batches the writer cannot write end up, after retries */
  readonly failures: sqs.IQueue;
  /** a Multi-AZ standby for the InfluxDB instance */
  readonly multiAz: boolean;
  /** Timestream for InfluxDB instance class. Default db.influx.medium */
  readonly instanceType?: string;
  /** GB of Influx IOPS Included storage. Default 20 (the smallest) */
  readonly allocatedStorageGb?: number;
  /** reserved concurrency of the writer, at least the shards' parallel batches */
  readonly reservedConcurrency?: number;
  /** batches per shard processed at once */
  readonly parallelizationFactor: number;
}

/** InfluxDB's HTTP port. */
const INFLUX_PORT = 8086;

/**
 * Recent telemetry for live charts: a Timestream for InfluxDB 2.x instance in the VPC's isolated
 * subnets, and a function that reads the Kinesis stream in batches and writes them as line protocol
 * with a write-only token. (Timestream for LiveAnalytics accepts no new customers since 2025-06-20,
 * and AWS IoT Analytics reached end of support on 2025-12-15, so InfluxDB is the time-series store.)
 */
export class TimeSeriesStore extends Construct {
  readonly instance: timestream.CfnInfluxDBInstance;
  readonly writer: NodejsFunction;
  /** give this security group to Grafana or the operations app to reach InfluxDB on port 8086 */
  readonly clients: ec2.SecurityGroup;
  /** where to put the write token you create in InfluxDB after the first deploy */
  readonly writeToken: secretsmanager.Secret;
  readonly url: string;

  constructor(scope: Construct, id: string, props: TimeSeriesStoreProps) {
    super(scope, id);
    const { shared, vpc } = props;
    const influxGroup = new ec2.SecurityGroup(this, "InfluxSg", { vpc, description: `${shared.appName} InfluxDB: port ${INFLUX_PORT} from the writer and its clients`, allowAllOutbound: false });
    const writerGroup = new ec2.SecurityGroup(this, "WriterSg", { vpc, description: `${shared.appName} time-series writer: InfluxDB and the Secrets Manager endpoint only`, allowAllOutbound: false });
    this.clients = new ec2.SecurityGroup(this, "ClientsSg", { vpc, description: `${shared.appName}: dashboards and apps allowed to query InfluxDB`, allowAllOutbound: false });
    this.clients.addEgressRule(influxGroup, ec2.Port.tcp(INFLUX_PORT), "InfluxDB queries");
    influxGroup.addIngressRule(writerGroup, ec2.Port.tcp(INFLUX_PORT), "writes from the time-series writer");
    influxGroup.addIngressRule(this.clients, ec2.Port.tcp(INFLUX_PORT), "queries from dashboards and apps");
    writerGroup.addEgressRule(influxGroup, ec2.Port.tcp(INFLUX_PORT), "writes to InfluxDB");
    writerGroup.addEgressRule(props.endpoints, ec2.Port.tcp(443), "the Secrets Manager interface endpoint");
    props.endpoints.addIngressRule(writerGroup, ec2.Port.tcp(443), "HTTPS from the time-series writer");

    // The admin password is generated here and handed to the instance by dynamic reference (it never
    // appears in the template); Timestream for InfluxDB keeps its own copy with the org and bucket too.
    const admin = new secretsmanager.Secret(this, "AdminSecret", {
      description: `${shared.appName}: InfluxDB admin user (operator tasks only; writers use a token)`,
      encryptionKey: shared.key,
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: "admin" }), generateStringKey: "password", excludePunctuation: true, passwordLength: 32 },
    });
    this.writeToken = new secretsmanager.Secret(this, "WriteToken", {
      description: `${shared.appName}: InfluxDB write-only token for the telemetry bucket (replace the generated placeholder after the first deploy)`,
      encryptionKey: shared.key,
    });
    for (const secret of [admin, this.writeToken]) {
      Validations.of(secret).acknowledge({
        id: "AwsSolutions-SMG4",
        reason: "InfluxDB users and tokens live inside InfluxDB, which has no Secrets Manager rotation function; rotate by creating a new token or password with the influx CLI and updating the secret (README).",
      });
      acknowledgeCompliance(secret, shared.compliance, "SecretsManagerRotationEnabled", "InfluxDB users and tokens live inside InfluxDB, which has no Secrets Manager rotation function; they are rotated with the influx CLI and the secret updated (README).");
    }

    this.instance = new timestream.CfnInfluxDBInstance(this, "Instance", {
      name: shared.appName.slice(0, 40).replace(/-+$/, ""),
      dbInstanceType: props.instanceType ?? "db.influx.medium",
      dbStorageType: "InfluxIOIncludedT1",
      allocatedStorage: props.allocatedStorageGb ?? 20,
      deploymentType: props.multiAz ? "WITH_MULTIAZ_STANDBY" : "SINGLE_AZ",
      networkType: "IPV4",
      publiclyAccessible: false,
      port: INFLUX_PORT,
      vpcSubnetIds: vpc.isolatedSubnets.map((s) => s.subnetId),
      vpcSecurityGroupIds: [influxGroup.securityGroupId],
      username: "admin",
      password: admin.secretValueFromJson("password").unsafeUnwrap(),
      organization: shared.appName,
      bucket: "telemetry",
    });
    this.url = `https://${this.instance.attrEndpoint}:${INFLUX_PORT}`;

    // ---- The writer: Kinesis batches -> line protocol -> InfluxDB ----
    const writerLogs = logGroup(this, "WriterLogs", shared);
    const { role, policy } = roleWithPolicy(this, "WriterRole", new iam.ServicePrincipal("lambda.amazonaws.com"), `${shared.appName}: time-series writer`, [
      new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [writerLogs.logGroupArn] }),
      new iam.PolicyStatement({
        actions: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:SubscribeToShard"],
        resources: [props.stream.streamArn],
      }),
      new iam.PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [this.writeToken.secretArn] }),
      new iam.PolicyStatement({ actions: ["kms:Decrypt"], resources: [shared.key.keyArn] }),
      new iam.PolicyStatement({ actions: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], resources: [props.failures.queueArn] }),
      new iam.PolicyStatement({
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        resources: ["*"],
      }),
    ]);
    acknowledgeNoResourceLevel(policy, "X-Ray PutTraceSegments/PutTelemetryRecords and the network-interface actions of a VPC function");
    this.writer = new NodejsFunction(this, "Writer", {
      description: "Writes telemetry batches from the stream to Timestream for InfluxDB",
      entry: path.join(__dirname, "..", "..", "lambda", "influx-writer", "index.ts"),
      handler: "handler",
      bundling: LOCAL_BUNDLING,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(1),
      role: role.withoutPolicyUpdates(),
      logGroup: writerLogs,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // invoked by its event source mapping only; the queue also catches a stray asynchronous invocation
      deadLetterQueue: props.failures,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [writerGroup],
      environment: { INFLUX_URL: this.url, INFLUX_ORG: shared.appName, INFLUX_BUCKET: "telemetry", TOKEN_SECRET_ARN: this.writeToken.secretArn },
    });
    this.writer.node.addDependency(policy);
    this.writer.addEventSource(
      new KinesisEventSource(props.stream, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(2),
        parallelizationFactor: props.parallelizationFactor,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(props.failures),
      }),
    );
    alarmTo(this, "WriterBehind", shared, "The time-series writer is more than a minute behind the stream", this.writer.metric("IteratorAge", { statistic: "Maximum", period: Duration.minutes(1) }), 60_000, 3);
    alarmTo(this, "WriterErrors", shared, "The time-series writer failed batches in the last five minutes (check the write token)", this.writer.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }), 0);
  }
}
