import { Aws, CfnResource, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface IsolatedNetworkProps {
  /** where the VPC flow logs go (encrypted, retained) */
  readonly logGroup: logs.LogGroup;
  /** the only table the DynamoDB endpoint lets this account's principals reach */
  readonly tableArn: string;
}

/**
 * Compliance mode's network: a two-zone VPC with isolated subnets only (no internet gateway, no NAT),
 * the default security group closed, flow logs, a DynamoDB gateway endpoint limited to the connections
 * table and an SQS interface endpoint. Functions placed here reach nothing else.
 */
export class IsolatedNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: IsolatedNetworkProps) {
    super(scope, id);
    const cidr = "10.52.0.0/16";
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
    this.vpc.addGatewayEndpoint("DynamoDb", { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB }).addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
        resources: [props.tableArn],
        conditions: { StringEquals: { "aws:PrincipalAccount": Aws.ACCOUNT_ID } },
      }),
    );
    const endpointSg = new ec2.SecurityGroup(this, "EndpointSg", { vpc: this.vpc, description: "SQS endpoint: HTTPS from the VPC", allowAllOutbound: false });
    endpointSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), "HTTPS from the VPC");
    this.vpc.addInterfaceEndpoint("Sqs", {
      service: ec2.InterfaceVpcEndpointAwsService.SQS,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      privateDnsEnabled: true,
      securityGroups: [endpointSg],
      open: false,
    });
    this.securityGroup = new ec2.SecurityGroup(this, "FunctionsSg", {
      vpc: this.vpc,
      description: "Route and fan-out functions: HTTPS out only (the subnets route nowhere but the VPC endpoints)",
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to the DynamoDB and SQS endpoints");
  }
}
