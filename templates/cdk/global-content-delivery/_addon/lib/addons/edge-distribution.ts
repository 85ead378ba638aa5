import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

import type { AddonProps } from "../host";

/**
 * CloudFront in front of the app's HTTP entry point (the host's front door): viewers connect to a
 * nearby edge over HTTPS, and every request goes on, uncached, to the origin over HTTPS with the
 * viewer's headers, query string and cookies (except Host, which the origin's own name replaces).
 * Cache responses that can be shared by adding behaviors with a caching policy for their paths.
 * Standard logs go to a bucket of their own. In us-east-1 an AWS WAF web ACL (AWS managed rule groups
 * and a per-IP rate limit) filters requests at the edge; elsewhere see the README. In compliance mode
 * (the settings name a regime) the log bucket is versioned, and it and the WAF log group are encrypted
 * with a key of their own, as the HIPAA, PCI DSS and NIST 800-53 packs ask.
 */
export class EdgeDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** the distribution's web ACL, created only when the stack is in us-east-1 */
  readonly webAcl?: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    const frontDoor = props.host.frontDoor;
    if (!frontDoor) {
      throw new Error("EdgeDistribution needs the host's front door (an HTTP entry point reachable over HTTPS), and this stack offers none.");
    }
    const stack = Stack.of(this);
    const compliance = props.settings.compliance;
    const compliant = compliance.length > 0;
    const wafLogGroupName = `aws-waf-logs-${stack.stackName}-edge`;

    // Compliance mode: a key for the logs. CloudFront's log delivery may encrypt with it (standard logs
    // to an SSE-KMS bucket need exactly this grant), and CloudWatch Logs for the WAF log group only.
    let key: kms.Key | undefined;
    if (compliant) {
      key = new kms.Key(this, "LogsKey", { description: "Edge distribution: standard logs and WAF logs", enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal("delivery.logs.amazonaws.com")],
          actions: ["kms:GenerateDataKey*"],
          resources: ["*"],
        }),
      );
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
          resources: ["*"],
          conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": stack.formatArn({ service: "logs", resource: "log-group", resourceName: wafLogGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
        }),
      );
    }

    // ACLs on: CloudFront standard logs are written with an ACL. SSE-S3, or the logs key in compliance mode.
    const logBucket = new s3.Bucket(this, "Logs", {
      ...(key ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key } : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: compliant ? true : undefined,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: compliant ? Duration.days(30) : undefined }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logBucket).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This bucket receives the edge distribution's standard logs; logging its own access into itself would loop.",
    });
    acknowledgePacks(logBucket, compliance, "S3BucketLoggingEnabled", "This bucket receives the edge distribution's standard logs; its own access logs would need a further log bucket, and that one another; record access to it with CloudTrail data events if you need to.");
    acknowledgePacks(logBucket, compliance, "S3BucketReplicationEnabled", "This bucket holds the edge distribution's access logs, not application data; send them to a log-archive account if you keep one.");

    // A CLOUDFRONT-scope web ACL exists only in us-east-1: created here when the stack is there.
    if (stack.region === "us-east-1") this.webAcl = this.createWebAcl(stack, wafLogGroupName, key);

    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: `Edge in front of ${frontDoor.description}`.slice(0, 128),
      defaultBehavior: {
        origin: frontDoor.origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        // API responses are per caller: nothing is cached unless a behavior says so
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // API Gateway routes by its own host name, so the viewer's Host header must not reach it
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: true,
      logBucket,
      logFilePrefix: "edge/",
      webAclId: this.webAcl?.attrArn,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason: "Which countries may call the app is a business decision; add a geo restriction to the distribution to serve only those.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason: "Without a custom domain the distribution serves the *.cloudfront.net certificate, whose security policy CloudFront fixes; add a domain with an ACM certificate in us-east-1 and require TLSv1.2_2021.",
      },
    );
    if (!this.webAcl) {
      Validations.of(this.distribution).acknowledge({
        id: "AwsSolutions-CFR2",
        reason: "A CLOUDFRONT-scope AWS WAF web ACL can only be created in us-east-1 and this stack is elsewhere (or Region-agnostic); create one there and set its ARN as the distribution's webAclId.",
      });
    }
  }

  /** AWS managed rule groups (IP reputation, common, known bad inputs) and a per-IP rate limit, with full logs. */
  private createWebAcl(stack: Stack, logGroupName: string, key?: kms.IKey): wafv2.CfnWebACL {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
      visibilityConfig: visibility(name),
    });
    const webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      description: "AWS managed rule groups and a per-IP rate limit in front of the app",
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${stack.stackName}-edge`),
      rules: [
        managed("AWSManagedRulesAmazonIpReputationList", 0),
        managed("AWSManagedRulesCommonRuleSet", 1),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
        {
          name: "RateLimitPerIp",
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" } },
          visibilityConfig: visibility("RateLimitPerIp"),
        },
      ],
    });
    // WAF requires the aws-waf-logs- prefix and the log group ARN without the trailing :*
    const wafLogs = new logs.LogGroup(this, "WafLogs", {
      logGroupName,
      retention: key ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, "WafLogging", {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [stack.formatArn({ service: "logs", resource: "log-group", resourceName: wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    });
    return webAcl;
  }
}

/** Acknowledges one rule in every compliance pack the regimes turn on (SOC 2 runs NIST 800-53 rev 5); none outside compliance mode. */
function acknowledgePacks(construct: Construct, compliance: readonly string[], rule: string, reason: string): void {
  const prefixes: Record<string, string> = { hipaa: "HIPAA.Security", "pci-dss": "PCI.DSS.321", soc2: "NIST.800.53.R5" };
  for (const prefix of new Set(compliance.map((regime) => prefixes[regime]).filter((p) => p !== undefined))) {
    Validations.of(construct).acknowledge({ id: `${prefix}-${rule}`, reason });
  }
}
