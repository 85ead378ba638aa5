import { Aws, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";

import { acknowledgeCompliance, DLQ_AND_CONCURRENCY_PACKS } from "../compliance";

export interface InvocationLoggingProps {
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly compliance: readonly string[];
}

/**
 * Bedrock model invocation logging: every Converse and ConverseStream call in this account and Region
 * (prompt, answer, token counts, guardrail outcome) is written to an encrypted log group. CloudFormation
 * has no resource for this account-level setting, so a custom resource calls
 * PutModelInvocationLoggingConfiguration on create and update, and DeleteModelInvocationLoggingConfiguration
 * when the stack is deleted.
 */
export class InvocationLogging extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InvocationLoggingProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", { encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    // the role Bedrock assumes to write the log
    const writer = new iam.Role(this, "WriterRole", {
      assumedBy: new iam.ServicePrincipal("bedrock.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` } },
      }),
      description: "Lets Bedrock write model invocation logs",
      managedPolicies: [
        new iam.ManagedPolicy(this, "WriterPolicy", {
          statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.logGroupArn}:log-stream:*`] })],
        }),
      ],
    });
    const writerPolicy = this.node.findChild("WriterPolicy");
    Validations.of(writerPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`,
      reason: "Bedrock names the log streams it creates in the invocation log group, so it may create and write any stream of that one group.",
    });

    const setterLogs = new logs.LogGroup(this, "SetterLogs", { encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const configurePolicy = new iam.ManagedPolicy(this, "ConfigurePolicy", {
      description: "Sets and removes the account's Bedrock model invocation logging",
      statements: [
        new iam.PolicyStatement({ actions: ["bedrock:PutModelInvocationLoggingConfiguration", "bedrock:DeleteModelInvocationLoggingConfiguration"], resources: ["*"] }),
        new iam.PolicyStatement({ actions: ["iam:PassRole"], resources: [writer.roleArn], conditions: { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } } }),
        new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [setterLogs.logGroupArn] }),
      ],
    });
    Validations.of(configurePolicy).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "PutModelInvocationLoggingConfiguration and DeleteModelInvocationLoggingConfiguration act on the account's setting and support no resource-level permissions; the statement allows only those two actions.",
    });
    const configureRole = new iam.Role(this, "ConfigureRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "Runs the model invocation logging custom resource",
      managedPolicies: [configurePolicy],
    });
    const loggingConfig = {
      cloudWatchConfig: { logGroupName: this.logGroup.logGroupName, roleArn: writer.roleArn },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
      videoDataDeliveryEnabled: false,
    };
    const call: cr.AwsSdkCall = {
      service: "bedrock",
      action: "PutModelInvocationLoggingConfiguration",
      parameters: { loggingConfig },
      physicalResourceId: cr.PhysicalResourceId.of("bedrock-model-invocation-logging"),
    };
    new cr.AwsCustomResource(this, "Setting", {
      onCreate: call,
      onUpdate: call,
      onDelete: { service: "bedrock", action: "DeleteModelInvocationLoggingConfiguration", parameters: {} },
      role: configureRole.withoutPolicyUpdates(),
      installLatestAwsSdk: false,
      logGroup: setterLogs,
      resourceType: "Custom::BedrockInvocationLogging",
    });

    // CDK's custom resource function: a singleton of the stack, run by CloudFormation during deploys only
    for (const fn of Stack.of(this).node.findAll().filter((c) => c.node.id.startsWith("AWS679f53fac002430cb0da5b7982bd2287"))) {
      // its Role property already orders it after the role; CDK's extra DependsOn is redundant (cfn-lint W3005)
      if (fn instanceof lambda.Function) (fn.node.defaultChild as lambda.CfnFunction).addDeletionOverride("DependsOn");
      acknowledgeCompliance(fn, props.compliance, "LambdaInsideVPC", "CDK's AwsCustomResource function runs only while CloudFormation deploys, to set one account-level Bedrock setting, and answers CloudFormation through a pre-signed S3 URL on the internet; it reads and keeps no data.");
      acknowledgeCompliance(fn, props.compliance, "LambdaDLQ", "CloudFormation invokes the custom resource function and reports its failure itself; a dead-letter queue only receives asynchronous invocations.", DLQ_AND_CONCURRENCY_PACKS);
      acknowledgeCompliance(fn, props.compliance, "LambdaConcurrency", "The custom resource function runs once per deploy and serves no users; reserving concurrency for it would only take capacity from the account.", DLQ_AND_CONCURRENCY_PACKS);
    }
  }
}
