import { Aws, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** What a gateway endpoint admits: these actions, on these resources, by principals of this account. */
export interface GatewayAccess {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export interface FunctionNetworkProps {
  /** the VPC's address range; pick one that does not overlap your network */
  readonly cidr: string;
  /** who runs here, for the security groups' descriptions, e.g. "Image functions" */
  readonly label: string;
  /** encrypts the flow log group */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** an S3 gateway endpoint, when the functions use S3 */
  readonly s3?: GatewayAccess;
  /** a DynamoDB gateway endpoint, when the functions use DynamoDB */
  readonly dynamoDb?: GatewayAccess;
  /** interface endpoints for the other AWS APIs called from inside the VPC */
  readonly interfaceEndpoints?: readonly (readonly [name: string, service: ec2.InterfaceVpcEndpointAwsService])[];
  /** who may reach the interface endpoints: the functions' security group (default), or anything in the VPC */
  readonly endpointAccess?: "functions" | "vpc";
}

/**
 * Where functions run when they run in a VPC: isolated subnets in two Availability Zones (no internet
 * gateway, no NAT), the default security group closed, flow logs of all traffic, S3 and DynamoDB
 * through gateway endpoints whose policies admit only this account and the given resources, and
 * interface endpoints for the other APIs the functions call. Lambda sends their logs itself.
 */
export class FunctionNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** the functions' security group: HTTPS out, nothing in */
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  constructor(scope: Construct, id: string, props: FunctionNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
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

    const gateways = [
      ["S3", ec2.GatewayVpcEndpointAwsService.S3, props.s3],
      ["DynamoDb", ec2.GatewayVpcEndpointAwsService.DYNAMODB, props.dynamoDb],
    ] as const;
    for (const [name, service, access] of gateways) {
      if (!access) continue;
      this.vpc.addGatewayEndpoint(name, { service }).addToPolicy(
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: [...access.actions],
          resources: [...access.resources],
          conditions: { StringEquals: { "aws:PrincipalAccount": Aws.ACCOUNT_ID } },
        }),
      );
    }

    this.securityGroup = new ec2.SecurityGroup(this, "FunctionsSg", {
      vpc: this.vpc,
      description: `${props.label}: HTTPS out only (the subnets route nowhere but the VPC endpoints)`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to the VPC endpoints");
    const endpoints = props.interfaceEndpoints ?? [];
    if (endpoints.length === 0) return;
    const fromVpc = props.endpointAccess === "vpc";
    const endpointsSg = new ec2.SecurityGroup(this, "EndpointsSg", {
      vpc: this.vpc,
      description: `Interface endpoints: HTTPS from the ${fromVpc ? "VPC" : props.label.toLowerCase()}`,
      allowAllOutbound: false,
    });
    endpointsSg.addIngressRule(fromVpc ? ec2.Peer.ipv4(props.cidr) : this.securityGroup, ec2.Port.tcp(443), `HTTPS from the ${fromVpc ? "VPC" : props.label.toLowerCase()}`);
    for (const [name, service] of endpoints) {
      this.vpc.addInterfaceEndpoint(name, { service, subnets: this.subnets, securityGroups: [endpointsSg], privateDnsEnabled: true, open: false });
    }
  }
}
