import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

import { acknowledgeCompliance } from "../compliance";

export interface AnswerApiProps {
  readonly appName: string;
  /** the streaming answer function */
  readonly answer: lambda.IFunction;
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** steady requests a second the stage accepts. Default 20 */
  readonly rateLimit: number;
  readonly compliance: readonly string[];
}

/**
 * The way in: a regional REST API with one streamed route, POST /ask, behind a Cognito authorizer
 * (users of this app's pool, MFA required), a request validator with a JSON Schema model, stage
 * throttling, JSON access logs, execution logs, X-Ray, and an AWS WAF web ACL with AWS managed rule
 * groups and a per-IP rate limit.
 */
export class AnswerApi extends Construct {
  readonly api: apigw.RestApi;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AnswerApiProps) {
    super(scope, id);
    const compliant = props.compliance.length > 0;
    const logGroup = (name: string, logGroupName?: string) =>
      new logs.LogGroup(this, name, { logGroupName, encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });

    this.userPool = new cognito.UserPool(this, "Users", {
      userPoolName: `${props.appName}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.client = this.userPool.addClient("AppClient", {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    const accessLogs = logGroup("AccessLogs");
    const clientCertificate = compliant ? new apigw.CfnClientCertificate(this, "BackendCertificate", { description: `${props.appName}: presented by API Gateway to backends` }) : undefined;
    this.api = new apigw.RestApi(this, "Api", {
      restApiName: props.appName,
      description: `${props.appName}: questions answered from the organisation's documents`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: "v1",
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.rateLimit * 2,
        clientCertificateId: clientCertificate?.attrClientCertificateId,
      },
    });
    Validations.of(this.api.node.findChild("CloudWatchRole")).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
      reason: "API Gateway uses one role per account and Region for the execution logs of every REST API; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that role.",
    });
    acknowledgeCompliance(
      this.api.deploymentStage,
      props.compliance,
      "APIGWCacheEnabledAndEncrypted",
      "The only route streams answers generated for one user's question from documents that user may see; API Gateway cannot cache a streamed response, and a cached answer would leak across users.",
    );

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, "Authorizer", { cognitoUserPools: [this.userPool] });
    const validator = this.api.addRequestValidator("Validator", { validateRequestBody: true, validateRequestParameters: true });
    const question = this.api.addModel("Question", {
      contentType: "application/json",
      description: "A question, optionally narrowed to one department's documents",
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        type: apigw.JsonSchemaType.OBJECT,
        required: ["question"],
        additionalProperties: false,
        properties: {
          question: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 1000 },
          department: { type: apigw.JsonSchemaType.STRING, pattern: "^[a-z0-9-]{1,40}$" },
        },
      },
    });
    this.api.root.addResource("ask").addMethod(
      "POST",
      new apigw.LambdaIntegration(props.answer, {
        allowTestInvoke: false,
        // tokens reach the client as the model writes them (up to 15 minutes, no 29-second limit)
        responseTransferMode: apigw.ResponseTransferMode.STREAM,
      }),
      { authorizer, authorizationType: apigw.AuthorizationType.COGNITO, requestValidator: validator, requestModels: { "application/json": question } },
    );

    // AWS WAF: AWS managed rule groups and a per-IP rate limit (five minutes), logged to an encrypted group.
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
      overrideAction: { none: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });
    const webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${props.appName}-api`, sampledRequestsEnabled: true },
      rules: [
        managed("AWSManagedRulesCommonRuleSet", 1),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
        {
          name: "PerIpRateLimit",
          priority: 3,
          statement: { rateBasedStatement: { limit: Math.max(100, props.rateLimit * 30), aggregateKeyType: "IP" } },
          action: { block: {} },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: "PerIpRateLimit", sampledRequestsEnabled: true },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", { resourceArn: this.api.deploymentStage.stageArn, webAclArn: webAcl.attrArn });
    // WAF only logs to groups whose name starts with aws-waf-logs-, given by ARN without the ":*"
    const wafLogsName = `aws-waf-logs-${props.appName}`;
    const wafLogs = logGroup("WafLogs", wafLogsName);
    new wafv2.CfnLoggingConfiguration(this, "WafLogging", {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [Stack.of(this).formatArn({ service: "logs", resource: "log-group", resourceName: wafLogsName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }).node.addDependency(wafLogs);
  }
}
