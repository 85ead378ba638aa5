import { Aws, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface FunctionNetworkProps {
  /** encrypts the flow log group */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** what the S3 gateway endpoint admits: the buckets' object ARNs (`bucket.arnForObjects("*")`) */
  readonly objectArns: readonly string[];
  /** what the DynamoDB gateway endpoint admits: table ARNs */
  readonly tableArns: readonly string[];
}

/**
 * Where the functions run in compliance mode: isolated subnets in two Availability Zones (no route to
 * the internet), flow logs of all traffic, and endpoints for exactly the services the functions call:
 * S3 and DynamoDB through gateway endpoints whose policies admit only this app's buckets and table,
 * SQS, Rekognition and X-Ray through interface endpoints.
 */
export class FunctionNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** the functions' security group: HTTPS out, nothing in */
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  constructor(scope: Construct, id: string, props: FunctionNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr("10.70.0.0/16"),
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: "Functions", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
    });

    const flowLogs = new logs.LogGroup(this, "FlowLogs", { encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const flowLogRole = new iam.Role(this, "FlowLogRole", {
      assumedBy: new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: "Writes the VPC's flow logs to its FlowLogs log group",
      managedPolicies: [
        new iam.ManagedPolicy(this, "FlowLogPolicy", {
          statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [flowLogs.logGroupArn] })],
        }),
      ],
    });
    // the L1 resource: the L2 FlowLog would give the role an inline policy
    new ec2.CfnFlowLog(this, "FlowLog", {
      resourceId: this.vpc.vpcId,
      resourceType: "VPC",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogs.logGroupArn,
      deliverLogsPermissionArn: flowLogRole.roleArn,
      maxAggregationInterval: 60,
    });

    const thisAccount = { StringEquals: { "aws:PrincipalAccount": Aws.ACCOUNT_ID } };
    this.vpc.addGatewayEndpoint("S3", { service: ec2.GatewayVpcEndpointAwsService.S3 }).addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: [...props.objectArns],
        conditions: thisAccount,
      }),
    );
    this.vpc.addGatewayEndpoint("DynamoDb", { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB }).addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        resources: [...props.tableArns],
        conditions: thisAccount,
      }),
    );

    this.securityGroup = new ec2.SecurityGroup(this, "FunctionsSg", {
      vpc: this.vpc,
      description: "Image functions: HTTPS out only (the subnets route nowhere but the VPC endpoints)",
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to the VPC endpoints");
    const endpointsSg = new ec2.SecurityGroup(this, "EndpointsSg", {
      vpc: this.vpc,
      description: "Interface endpoints: HTTPS from the image functions",
      allowAllOutbound: false,
    });
    endpointsSg.addIngressRule(this.securityGroup, ec2.Port.tcp(443), "HTTPS from the image functions");
    for (const [name, service] of [
      ["Sqs", ec2.InterfaceVpcEndpointAwsService.SQS],
      ["Rekognition", ec2.InterfaceVpcEndpointAwsService.REKOGNITION],
      ["XRay", ec2.InterfaceVpcEndpointAwsService.XRAY],
    ] as const) {
      this.vpc.addInterfaceEndpoint(name, { service, subnets: this.subnets, securityGroups: [endpointsSg], privateDnsEnabled: true, open: false });
    }
  }
}
