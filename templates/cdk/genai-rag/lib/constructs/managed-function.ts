import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

import { LOCAL_BUNDLING } from "../local-bundling";
import type { PrivateNetwork } from "./private-network";

export interface ManagedFunctionProps {
  readonly description: string;
  /** the TypeScript file whose `handler` export the function runs, bundled with esbuild (lib/local-bundling.ts) */
  readonly entry: string;
  /** what the function may do besides writing its logs and traces */
  readonly statements: iam.PolicyStatement[];
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly reservedConcurrency?: number;
  /** compliance mode: the isolated network the function runs in */
  readonly network?: PrivateNetwork;
  /** compliance mode: where failed asynchronous invocations go */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * A Lambda function with its own encrypted log group and a role holding one customer managed policy of
 * exactly what it does (CDK adds nothing to it), traced with X-Ray, on Node.js 24 and Arm. Its
 * TypeScript handler is bundled by esbuild on this machine, the AWS SDK left to the runtime.
 */
export class ManagedFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ManagedFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, "Logs", { encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    this.policy = new iam.ManagedPolicy(this, "Policy", {
      description: `${id}: what the function reads and writes`,
      statements: [
        new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logGroup.logGroupArn] }),
        new iam.PolicyStatement({
          actions: [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            ...(props.network ? ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"] : []),
          ],
          resources: ["*"],
        }),
        ...(props.deadLetterQueue ? [new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [props.deadLetterQueue.queueArn] })] : []),
        ...props.statements,
      ],
    });
    Validations.of(this.policy).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: props.network
        ? "X-Ray PutTraceSegments/PutTelemetryRecords and the network-interface actions of a VPC function support no resource-level permissions; the statement allows only those actions."
        : "X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions; the statement allows only those actions.",
    });
    const role = new iam.Role(this, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"), description: props.description, managedPolicies: [this.policy] });
    this.fn = new NodejsFunction(this, "Function", {
      description: props.description,
      entry: props.entry,
      handler: "handler",
      bundling: LOCAL_BUNDLING,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: role.withoutPolicyUpdates(),
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: props.deadLetterQueue,
      vpc: props.network?.vpc,
      vpcSubnets: props.network ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : undefined,
      securityGroups: props.network ? [props.network.securityGroup] : undefined,
      environment: props.environment,
    });
    // the Role property already orders the function after its role; CDK's extra DependsOn is redundant (cfn-lint W3005)
    (this.fn.node.defaultChild as lambda.CfnFunction).addDeletionOverride("DependsOn");
  }
}
