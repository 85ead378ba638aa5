import { Aws, CfnResource, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface PrivateNetworkProps {
  /** where the VPC flow logs go (encrypted, retained) */
  readonly logGroup: logs.LogGroup;
  /** the documents bucket: the S3 gateway endpoint admits this account's principals to it only */
  readonly bucketArn: string;
}

/**
 * Compliance mode's network: a two-zone VPC with isolated subnets only (no internet gateway, no NAT),
 * the default security group closed, flow logs, and private routes to what the answer and evaluation
 * functions call: Bedrock's runtime and agent runtime, Systems Manager (the live-index parameter) and S3.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const cidr = "10.53.0.0/16";
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: "Functions", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
    });
    // CDK's handler for restrictDefaultSecurityGroup already names its role through GetAtt; its extra
    // DependsOn on that role is redundant (cfn-lint W3005)
    const restrictHandler = Stack.of(this).node.tryFindChild("Custom::VpcRestrictDefaultSGCustomResourceProvider")?.node.tryFindChild("Handler");
    if (restrictHandler instanceof CfnResource) restrictHandler.addDeletionOverride("DependsOn");
    const flowLogRole = new iam.Role(this, "FlowLogRole", {
      assumedBy: new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: "Writes VPC flow logs to the FlowLogs log group",
      managedPolicies: [
        new iam.ManagedPolicy(this, "FlowLogPolicy", {
          statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [props.logGroup.logGroupArn] })],
        }),
      ],
    });
    // the L1 resource: the L2 FlowLog would give the role an inline policy
    new ec2.CfnFlowLog(this, "FlowLog", {
      resourceId: this.vpc.vpcId,
      resourceType: "VPC",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: props.logGroup.logGroupArn,
      deliverLogsPermissionArn: flowLogRole.roleArn,
      maxAggregationInterval: 60,
    });
    this.vpc.addGatewayEndpoint("S3", { service: ec2.GatewayVpcEndpointAwsService.S3 }).addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ["s3:GetObject", "s3:PutObject"],
        resources: [`${props.bucketArn}/*`],
        conditions: { StringEquals: { "aws:PrincipalAccount": Aws.ACCOUNT_ID } },
      }),
    );
    const endpointSg = new ec2.SecurityGroup(this, "EndpointSg", { vpc: this.vpc, description: "Interface endpoints: HTTPS from the VPC", allowAllOutbound: false });
    endpointSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), "HTTPS from the VPC");
    for (const [name, service] of [
      ["BedrockRuntime", ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME],
      ["BedrockAgentRuntime", ec2.InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME],
      ["Ssm", ec2.InterfaceVpcEndpointAwsService.SSM],
    ] as const) {
      this.vpc.addInterfaceEndpoint(name, { service, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, privateDnsEnabled: true, securityGroups: [endpointSg], open: false });
    }
    this.securityGroup = new ec2.SecurityGroup(this, "FunctionsSg", {
      vpc: this.vpc,
      description: "Answer and evaluation functions: HTTPS out only (the subnets route nowhere but the VPC endpoints)",
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to the Bedrock, SSM and S3 endpoints");
  }
}
