import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

export interface PredictionApiProps {
  /** the app's name, for resource names and descriptions */
  readonly appName: string;
  /** name of the SageMaker AI endpoint the API calls */
  readonly endpointName: string;
  /** `async` calls InvokeEndpointAsync (input already in S3); otherwise InvokeEndpoint */
  readonly asynchronous: boolean;
  /** key for the access and WAF log groups */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** steady requests per second the stage accepts */
  readonly rateLimit: number;
  /** compliance mode: an encrypted stage cache (POST is never cached) and a client certificate */
  readonly compliant: boolean;
  /** AWS WAF web ACL on the stage */
  readonly waf: boolean;
}

/**
 * A REST API with one route, `POST /predict`, that hands the request body straight to the SageMaker
 * AI runtime (an AWS service integration: no function in between). Callers sign requests with
 * SigV4 (IAM authorization): they are services, not people. The stage logs access as JSON and errors,
 * traces with X-Ray, throttles, and sits behind AWS WAF.
 */
export class PredictionApi extends Construct {
  readonly api: apigw.RestApi;
  /** the role API Gateway assumes to call the endpoint */
  readonly invokeRole: iam.Role;

  constructor(scope: Construct, id: string, props: PredictionApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const endpointArn = stack.formatArn({ service: "sagemaker", resource: "endpoint", resourceName: props.endpointName.toLowerCase() });

    // API Gateway calls the runtime with this role: one action on one endpoint.
    this.invokeRole = new iam.Role(this, "InvokeRole", {
      assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": stack.account } } }),
      description: `${props.appName}: API Gateway calls the model endpoint`,
      managedPolicies: [
        new iam.ManagedPolicy(this, "InvokePolicy", {
          description: `${props.appName}: invoke the ${props.endpointName} endpoint`,
          statements: [new iam.PolicyStatement({ actions: [props.asynchronous ? "sagemaker:InvokeEndpointAsync" : "sagemaker:InvokeEndpoint"], resources: [endpointArn] })],
        }),
      ],
    });

    const accessLogs = new logs.LogGroup(this, "AccessLogs", { encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const clientCertificate = props.compliant ? new apigw.CfnClientCertificate(this, "BackendCertificate", { description: `${props.appName}: presented by API Gateway to backends` }) : undefined;
    this.api = new apigw.RestApi(this, "Api", {
      restApiName: props.appName,
      description: `${props.appName}: predictions from the model endpoint`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // the account-level role that lets API Gateway write execution logs (see README)
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
        // compliance packs ask for an encrypted stage cache; API Gateway caches only GET, and this API has none
        ...(props.compliant ? { cacheClusterEnabled: true, cacheClusterSize: "0.5", cachingEnabled: true, cacheDataEncrypted: true, cacheTtl: Duration.seconds(0) } : {}),
      },
    });
    Validations.of(this.api.node.findChild("CloudWatchRole")).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
      reason: "API Gateway uses one role per account and Region for the execution logs of every REST API, in log groups it names and creates itself; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that role.",
    });

    // The model decides what a valid body is (JSON, CSV, an image); the gateway checks the headers it forwards.
    const validator = this.api.addRequestValidator("Validator", { validateRequestBody: true, validateRequestParameters: true });
    const headers: Record<string, boolean> = props.asynchronous
      ? { "method.request.header.Content-Type": true, "method.request.header.X-Amzn-SageMaker-InputLocation": true }
      : { "method.request.header.Content-Type": true, "method.request.header.Accept": false };
    const integration = new apigw.AwsIntegration({
      service: "runtime.sagemaker",
      path: `endpoints/${props.endpointName}/${props.asynchronous ? "async-invocations" : "invocations"}`,
      integrationHttpMethod: "POST",
      options: {
        credentialsRole: this.invokeRole,
        passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_TEMPLATES,
        requestParameters: Object.fromEntries(Object.keys(headers).map((h) => [h.replace("method.request", "integration.request"), h])),
        integrationResponses: [
          { statusCode: props.asynchronous ? "202" : "200" },
          { statusCode: "400", selectionPattern: "4\\d{2}" },
          { statusCode: "502", selectionPattern: "5\\d{2}" },
        ],
      },
    });
    this.api.root.addResource("predict").addMethod("POST", integration, {
      authorizationType: apigw.AuthorizationType.IAM,
      requestValidator: validator,
      requestParameters: headers,
      methodResponses: [{ statusCode: props.asynchronous ? "202" : "200" }, { statusCode: "400" }, { statusCode: "502" }],
    });
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions-COG4",
      reason: "The callers are other services that sign requests with SigV4 (IAM authorization), not people holding Cognito tokens; IAM policies decide who may call POST /predict.",
    });

    // AWS WAF: AWS managed rule groups and a per-IP rate limit, logged to an encrypted log group.
    if (props.waf) {
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
          managed("AWSManagedRulesKnownBadInputsRuleSet", 1),
          {
            name: "PerIpRateLimit",
            priority: 2,
            statement: { rateBasedStatement: { limit: Math.max(100, props.rateLimit * 60), aggregateKeyType: "IP" } },
            action: { block: {} },
            visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: "PerIpRateLimit", sampledRequestsEnabled: true },
          },
        ],
      });
      new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", { resourceArn: this.api.deploymentStage.stageArn, webAclArn: webAcl.attrArn });
      // WAF logs only to groups whose name starts with aws-waf-logs-, given by ARN without the ":*"
      const wafLogsName = `aws-waf-logs-${props.appName}`;
      const wafLogs = new logs.LogGroup(this, "WafLogs", { logGroupName: wafLogsName, encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
      new wafv2.CfnLoggingConfiguration(this, "WafLogging", {
        resourceArn: webAcl.attrArn,
        logDestinationConfigs: [stack.formatArn({ service: "logs", resource: "log-group", resourceName: wafLogsName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }).node.addDependency(wafLogs);
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: "AwsSolutions-APIG3",
        reason: "The waf prop is false: the stage is protected by IAM authorization and stage throttling only.",
      });
    }
  }
}
