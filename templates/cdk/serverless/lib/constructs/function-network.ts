import { Aws } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface FunctionNetworkProps {
  /** where the VPC's flow logs go */
  readonly flowLogs: logs.ILogGroup;
  /** the table the functions use, and the actions its gateway endpoint admits */
  readonly table: { readonly arn: string; readonly actions: readonly string[] };
  /** interface endpoints for the other AWS APIs called from inside the VPC */
  readonly interfaceEndpoints?: readonly (readonly [name: string, service: ec2.InterfaceVpcEndpointAwsService])[];
}

/**
 * Where the functions run when they run in a VPC: isolated subnets in two Availability Zones (no
 * internet gateway, no NAT), the default security group closed, flow logs of all traffic, DynamoDB
 * through a gateway endpoint whose policy admits only this account and this table, and interface
 * endpoints for the other APIs called from inside. Logs and traces are sent by Lambda itself.
 */
export class FunctionNetwork extends Construct {
  static readonly CIDR = "10.50.0.0/16";
  readonly vpc: ec2.Vpc;
  /** the functions' security group: HTTPS out, nothing in */
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  constructor(scope: Construct, id: string, props: FunctionNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(FunctionNetwork.CIDR),
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: "Functions", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
    });
    const flowLogRole = new iam.Role(this, "FlowLogRole", {
      assumedBy: new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: "Writes VPC flow logs to the FlowLogs log group",
      managedPolicies: [
        new iam.ManagedPolicy(this, "FlowLogPolicy", {
          statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [props.flowLogs.logGroupArn] })],
        }),
      ],
    });
    // the L1 resource: the L2 FlowLog would give the role an inline policy
    new ec2.CfnFlowLog(this, "FlowLog", {
      resourceId: this.vpc.vpcId,
      resourceType: "VPC",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: props.flowLogs.logGroupArn,
      deliverLogsPermissionArn: flowLogRole.roleArn,
      maxAggregationInterval: 60,
    });
    this.vpc.addGatewayEndpoint("DynamoDb", { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB }).addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: [...props.table.actions],
        resources: [props.table.arn],
        conditions: { StringEquals: { "aws:PrincipalAccount": Aws.ACCOUNT_ID } },
      }),
    );
    this.securityGroup = new ec2.SecurityGroup(this, "FunctionsSg", {
      vpc: this.vpc,
      description: "Item functions: HTTPS out (the subnets route nowhere but the VPC endpoints)",
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to the VPC endpoints");
    const endpoints = props.interfaceEndpoints ?? [];
    if (endpoints.length > 0) {
      const endpointSg = new ec2.SecurityGroup(this, "EndpointsSg", { vpc: this.vpc, description: "Interface endpoints: HTTPS from the VPC", allowAllOutbound: false });
      endpointSg.addIngressRule(ec2.Peer.ipv4(FunctionNetwork.CIDR), ec2.Port.tcp(443), "HTTPS from the VPC");
      for (const [name, service] of endpoints) {
        this.vpc.addInterfaceEndpoint(name, { service, subnets: this.subnets, securityGroups: [endpointSg], privateDnsEnabled: true, open: false });
      }
    }
  }
}
