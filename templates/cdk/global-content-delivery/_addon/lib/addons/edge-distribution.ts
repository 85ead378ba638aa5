import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
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
 * and a per-IP rate limit) filters requests at the edge; elsewhere see the README.
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

    // SSE-S3 and ACLs on: CloudFront standard logs are written with an ACL, and only to SSE-S3 buckets.
    const logBucket = new s3.Bucket(this, "Logs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logBucket).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This bucket receives the edge distribution's standard logs; logging its own access into itself would loop.",
    });

    // A CLOUDFRONT-scope web ACL exists only in us-east-1: created here when the stack is there.
    if (stack.region === "us-east-1") this.webAcl = this.createWebAcl(stack);

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
  private createWebAcl(stack: Stack): wafv2.CfnWebACL {
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
      logGroupName: `aws-waf-logs-${stack.stackName}-edge`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, "WafLogging", {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [stack.formatArn({ service: "logs", resource: "log-group", resourceName: wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    });
    return webAcl;
  }
}
