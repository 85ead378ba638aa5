import * as path from "node:path";
import { Aws, Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as iot from "aws-cdk-lib/aws-iot";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

import { LOCAL_BUNDLING } from "../local-bundling";
import { acknowledgeNoResourceLevel, alarmTo, logGroup, roleWithPolicy, type Shared } from "../shared";
import { replicationNotNeeded } from "../replication";

export interface DeviceIdentityProps {
  readonly shared: Shared;
  /** MQTT topic namespace of this app: devices publish to `dt/<app>/<thing>/telemetry`, receive on `cmd/<app>/<thing>/...` */
  readonly app: string;
  /** point-in-time recovery of the allowlist table */
  readonly pointInTimeRecovery: boolean;
  /** reserved concurrency of the hook function (a floor from the settings) */
  readonly reservedConcurrency?: number;
  /** compliance mode: the hook runs in these subnets with a dead-letter queue */
  readonly network?: { vpc: ec2.IVpc; failures: sqs.IQueue };
}

const thing = "${iot:Connection.Thing.ThingName}";

/**
 * Who a device is and what it may do. Each device gets its own certificate through fleet provisioning
 * by claim: the factory flashes one claim certificate, whose policy allows nothing but the
 * provisioning topics; the device calls CreateKeysAndCertificate and RegisterThing with its serial
 * number; the pre-provisioning hook admits it only if the serial number is on the allowlist as shipped;
 * the template then creates a thing named after the serial number and attaches the device policy. That
 * policy uses the thing-name policy variable, so a connection may use only its own client id, topics and
 * shadow.
 */
export class DeviceIdentity extends Construct {
  readonly allowlist: dynamodb.Table;
  readonly devicePolicy: iot.CfnPolicy;
  readonly claimPolicy: iot.CfnPolicy;
  readonly template: iot.CfnProvisioningTemplate;
  readonly hook: NodejsFunction;

  constructor(scope: Construct, id: string, props: DeviceIdentityProps) {
    super(scope, id);
    const { shared, app } = props;
    const iotArn = (resource: string) => `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const templateName = `${shared.appName}-fleet`;

    // ---- The device policy: a connection may use only its own client id, topics and shadow ----
    this.devicePolicy = new iot.CfnPolicy(this, "DevicePolicy", {
      policyName: `${shared.appName}-device`,
      policyDocument: {
        Version: "2012-10-17",
        Statement: [
          // the client id must be the thing name, and the certificate must be attached to that thing
          { Effect: "Allow", Action: "iot:Connect", Resource: iotArn(`client/${thing}`), Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } } },
          { Effect: "Allow", Action: "iot:Publish", Resource: [iotArn(`topic/dt/${app}/${thing}/*`), iotArn(`topic/$aws/things/${thing}/shadow/*`)] },
          { Effect: "Allow", Action: "iot:Subscribe", Resource: [iotArn(`topicfilter/cmd/${app}/${thing}/*`), iotArn(`topicfilter/$aws/things/${thing}/shadow/*`)] },
          { Effect: "Allow", Action: "iot:Receive", Resource: [iotArn(`topic/cmd/${app}/${thing}/*`), iotArn(`topic/$aws/things/${thing}/shadow/*`)] },
        ],
      },
    });

    // ---- The claim policy: the shared factory certificate may only ask for a certificate of its own ----
    this.claimPolicy = new iot.CfnPolicy(this, "ClaimPolicy", {
      policyName: `${shared.appName}-claim`,
      policyDocument: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "iot:Connect", Resource: iotArn("client/*") },
          {
            Effect: "Allow",
            Action: ["iot:Publish", "iot:Receive"],
            Resource: [iotArn("topic/$aws/certificates/create/*"), iotArn(`topic/$aws/provisioning-templates/${templateName}/provision/*`)],
          },
          {
            Effect: "Allow",
            Action: "iot:Subscribe",
            Resource: [iotArn("topicfilter/$aws/certificates/create/*"), iotArn(`topicfilter/$aws/provisioning-templates/${templateName}/provision/*`)],
          },
        ],
      },
    });

    // ---- The allowlist of serial numbers manufacturing shipped ----
    this.allowlist = new dynamodb.Table(this, "Allowlist", {
      partitionKey: { name: "serialNumber", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: shared.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // the app never writes it: manufacturing's shipment records are the source, and a Region that
    // loses the table reloads it from them
    replicationNotNeeded(this.allowlist, "The allowlist is loaded from manufacturing's shipment records, which stay the source of truth; after a Regional outage it is reloaded from them. The app itself never writes it.");

    // ---- The pre-provisioning hook ----
    const hookLogs = logGroup(this, "HookLogs", shared);
    let securityGroup: ec2.SecurityGroup | undefined;
    if (props.network) {
      securityGroup = new ec2.SecurityGroup(this, "HookSg", { vpc: props.network.vpc, description: `${shared.appName} provisioning hook: HTTPS to the DynamoDB gateway endpoint only`, allowAllOutbound: false });
      securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to the DynamoDB gateway endpoint (the subnets route nowhere else)");
    }
    const { role, policy } = roleWithPolicy(this, "HookRole", new iam.ServicePrincipal("lambda.amazonaws.com"), `${shared.appName}: fleet provisioning hook`, [
      new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [hookLogs.logGroupArn] }),
      new iam.PolicyStatement({ actions: ["dynamodb:GetItem"], resources: [this.allowlist.tableArn] }),
      new iam.PolicyStatement({ actions: ["kms:Decrypt"], resources: [shared.key.keyArn] }),
      ...(props.network ? [new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [props.network.failures.queueArn] })] : []),
      new iam.PolicyStatement({
        actions: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          ...(props.network ? ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"] : []),
        ],
        resources: ["*"],
      }),
    ]);
    acknowledgeNoResourceLevel(policy, props.network ? "X-Ray PutTraceSegments/PutTelemetryRecords and the network-interface actions of a VPC function" : "X-Ray PutTraceSegments/PutTelemetryRecords (active tracing)");
    this.hook = new NodejsFunction(this, "Hook", {
      description: "Admits a device to fleet provisioning only if its serial number was shipped",
      entry: path.join(__dirname, "..", "..", "lambda", "provisioning-hook", "index.ts"),
      handler: "handler",
      bundling: LOCAL_BUNDLING,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(5),
      role: role.withoutPolicyUpdates(),
      logGroup: hookLogs,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: props.network?.failures,
      vpc: props.network?.vpc,
      vpcSubnets: props.network ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : undefined,
      securityGroups: securityGroup ? [securityGroup] : undefined,
      environment: { ALLOWLIST_TABLE: this.allowlist.tableName },
    });
    this.hook.node.addDependency(policy);
    const templateArn = iotArn(`provisioningtemplate/${templateName}`);
    const invoke = new lambda.CfnPermission(this, "IotInvokesHook", {
      action: "lambda:InvokeFunction",
      functionName: this.hook.functionArn,
      principal: "iot.amazonaws.com",
      sourceArn: templateArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    alarmTo(this, "HookErrors", shared, "The provisioning hook failed in the last five minutes (devices cannot provision)", this.hook.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }), 0);

    // ---- The provisioning template ----
    const provisioningRole = new iam.Role(this, "ProvisioningRole", {
      assumedBy: new iam.ServicePrincipal("iot.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: `${shared.appName}: AWS IoT registers things and certificates from the fleet template`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSIoTThingsRegistration")],
    });
    Validations.of(provisioningRole).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSIoTThingsRegistration]",
      reason: "AWS IoT assumes this role to create things, activate certificates and attach policies during fleet provisioning; AWSIoTThingsRegistration is the AWS-maintained policy documented for exactly that role and kept current with the registry's actions.",
    });
    this.template = new iot.CfnProvisioningTemplate(this, "Template", {
      templateName,
      description: `${shared.appName}: a certificate and a thing per device, named by its serial number`,
      enabled: true,
      provisioningRoleArn: provisioningRole.roleArn,
      templateType: "FLEET_PROVISIONING",
      preProvisioningHook: { targetArn: this.hook.functionArn, payloadVersion: "2020-04-01" },
      templateBody: JSON.stringify({
        Parameters: { SerialNumber: { Type: "String" }, "AWS::IoT::Certificate::Id": { Type: "String" } },
        Resources: {
          certificate: { Type: "AWS::IoT::Certificate", Properties: { CertificateId: { Ref: "AWS::IoT::Certificate::Id" }, Status: "ACTIVE" } },
          policy: { Type: "AWS::IoT::Policy", Properties: { PolicyName: `${shared.appName}-device` } },
          thing: {
            Type: "AWS::IoT::Thing",
            OverrideSettings: { AttributePayload: "MERGE" },
            Properties: { ThingName: { Ref: "SerialNumber" }, AttributePayload: { serialNumber: { Ref: "SerialNumber" } } },
          },
        },
      }),
    });
    this.template.node.addDependency(this.devicePolicy);
    this.template.node.addDependency(invoke);
  }
}
