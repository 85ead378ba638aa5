import { Aws, Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as ssm from "aws-cdk-lib/aws-ssm";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";

import type { KnowledgeIndex } from "./knowledge-index";

export interface PromotionWorkflowProps {
  readonly appName: string;
  readonly blue: KnowledgeIndex;
  readonly green: KnowledgeIndex;
  /** names the live knowledge base */
  readonly live: ssm.StringParameter;
  /** runs the test questions against a knowledge base and returns { promote, passRate, ... } */
  readonly evaluate: lambda.IFunction;
  readonly schedule: events.Schedule;
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Sync, evaluate, promote. The workflow finds which index is idle (the one the live parameter does not
 * name), starts an ingestion job on it (Bedrock adds, updates and removes vectors for changed files),
 * waits for the job, runs the test questions against it, and only when enough pass does it switch the
 * live parameter to it. A failed job or a failed evaluation leaves the live index as it was and fails
 * the execution, which raises an alarm. It runs on a schedule and can be started by hand.
 */
export class PromotionWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PromotionWorkflowProps) {
    super(scope, id);
    const candidate = (index: KnowledgeIndex) => ({ knowledgeBaseId: index.knowledgeBase.attrKnowledgeBaseId, dataSourceId: index.dataSource.attrDataSourceId });

    const readLive = new tasks.CallAwsService(this, "ReadLive", {
      service: "ssm",
      action: "getParameter",
      parameters: { Name: props.live.parameterName },
      iamResources: [props.live.parameterArn],
      resultSelector: { "knowledgeBaseId.$": "$.Parameter.Value" },
      resultPath: "$.live",
    });
    const useGreen = new sfn.Pass(this, "CandidateIsGreen", { parameters: candidate(props.green), resultPath: "$.candidate" });
    const useBlue = new sfn.Pass(this, "CandidateIsBlue", { parameters: candidate(props.blue), resultPath: "$.candidate" });

    const retryThrottles = { errors: ["BedrockAgent.ThrottlingException", "BedrockAgent.ConflictException", "States.Timeout"], interval: Duration.seconds(30), maxAttempts: 6, backoffRate: 2 };
    const startIngestion = new tasks.CallAwsService(this, "StartIngestion", {
      service: "bedrockagent",
      action: "startIngestionJob",
      parameters: { "KnowledgeBaseId.$": "$.candidate.knowledgeBaseId", "DataSourceId.$": "$.candidate.dataSourceId" },
      iamResources: [props.blue.knowledgeBaseArn, props.green.knowledgeBaseArn],
      iamAction: "bedrock:StartIngestionJob",
      resultSelector: { "ingestionJobId.$": "$.IngestionJob.IngestionJobId" },
      resultPath: "$.job",
    }).addRetry(retryThrottles);
    const wait = new sfn.Wait(this, "WaitForIngestion", { time: sfn.WaitTime.duration(Duration.minutes(1)) });
    const checkIngestion = new tasks.CallAwsService(this, "CheckIngestion", {
      service: "bedrockagent",
      action: "getIngestionJob",
      parameters: { "KnowledgeBaseId.$": "$.candidate.knowledgeBaseId", "DataSourceId.$": "$.candidate.dataSourceId", "IngestionJobId.$": "$.job.ingestionJobId" },
      iamResources: [props.blue.knowledgeBaseArn, props.green.knowledgeBaseArn],
      iamAction: "bedrock:GetIngestionJob",
      resultSelector: { "status.$": "$.IngestionJob.Status", "statistics.$": "$.IngestionJob.Statistics" },
      resultPath: "$.ingestion",
    }).addRetry(retryThrottles);
    const evaluate = new tasks.LambdaInvoke(this, "Evaluate", {
      lambdaFunction: props.evaluate,
      payload: sfn.TaskInput.fromObject({ "knowledgeBaseId.$": "$.candidate.knowledgeBaseId" }),
      resultSelector: { "promote.$": "$.Payload.promote", "passRate.$": "$.Payload.passRate", "total.$": "$.Payload.total", "reportKey.$": "$.Payload.reportKey" },
      resultPath: "$.evaluation",
      retryOnServiceExceptions: true,
    });
    const promote = new tasks.CallAwsService(this, "Promote", {
      service: "ssm",
      action: "putParameter",
      parameters: { Name: props.live.parameterName, "Value.$": "$.candidate.knowledgeBaseId", Overwrite: true, Type: "String" },
      iamResources: [props.live.parameterArn],
      resultPath: sfn.JsonPath.DISCARD,
    });

    const definition = readLive
      .next(
        new sfn.Choice(this, "WhichIsIdle")
          .when(sfn.Condition.stringEquals("$.live.knowledgeBaseId", props.blue.knowledgeBase.attrKnowledgeBaseId), useGreen)
          .otherwise(useBlue)
          .afterwards(),
      )
      .next(startIngestion)
      .next(wait)
      .next(checkIngestion)
      .next(
        new sfn.Choice(this, "IngestionDone")
          .when(sfn.Condition.stringEquals("$.ingestion.status", "COMPLETE"), evaluate.next(
            new sfn.Choice(this, "GoodEnough")
              .when(sfn.Condition.booleanEquals("$.evaluation.promote", true), promote.next(new sfn.Succeed(this, "Promoted")))
              .otherwise(new sfn.Fail(this, "BelowThreshold", { error: "EvaluationFailed", cause: "Too few test questions passed; the live index was left as it was. See the report under evaluation/reports/." })),
          ))
          .when(sfn.Condition.or(sfn.Condition.stringEquals("$.ingestion.status", "FAILED"), sfn.Condition.stringEquals("$.ingestion.status", "STOPPED")), new sfn.Fail(this, "IngestionFailed", { error: "IngestionFailed", cause: "The ingestion job did not complete; the live index was left as it was." }))
          .otherwise(wait),
      );

    const policy = new iam.ManagedPolicy(this, "Policy", {
      description: "Sync, evaluate and promote the knowledge base index",
      statements: [
        new iam.PolicyStatement({ actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: [props.live.parameterArn] }),
        new iam.PolicyStatement({ actions: ["bedrock:StartIngestionJob", "bedrock:GetIngestionJob"], resources: [props.blue.knowledgeBaseArn, props.green.knowledgeBaseArn] }),
        new iam.PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [props.evaluate.functionArn] }),
        // log delivery and X-Ray take no resource-level permissions
        new iam.PolicyStatement({
          actions: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
          ],
          resources: ["*"],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "CloudWatch Logs delivery (CreateLogDelivery and related) and X-Ray actions support no resource-level permissions; the statement allows only those actions.",
    });
    const role = new iam.Role(this, "Role", { assumedBy: new iam.ServicePrincipal("states.amazonaws.com"), description: "Runs the sync, evaluate and promote workflow", managedPolicies: [policy] });
    this.stateMachine = new sfn.StateMachine(this, "StateMachine", {
      stateMachineName: `${props.appName}-sync-evaluate-promote`,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // a large first sync can take hours; nothing here should run longer than a day
      timeout: Duration.hours(24),
      role: role.withoutPolicyUpdates(),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, "Logs", { encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });

    // the RoleArn property already orders the state machine after its role; CDK's extra DependsOn is redundant (cfn-lint W3005)
    (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).addDeletionOverride("DependsOn");

    const startRole = new iam.Role(this, "StartRole", {
      assumedBy: new iam.ServicePrincipal("events.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: "Lets the schedule start the sync, evaluate and promote workflow",
      managedPolicies: [
        new iam.ManagedPolicy(this, "StartPolicy", { statements: [new iam.PolicyStatement({ actions: ["states:StartExecution"], resources: [this.stateMachine.stateMachineArn] })] }),
      ],
    });
    new events.Rule(this, "Schedule", {
      description: `${props.appName}: sync the idle index, evaluate it, promote it`,
      schedule: props.schedule,
      targets: [new targets.SfnStateMachine(this.stateMachine, { role: startRole.withoutPolicyUpdates() })],
    });
  }
}
