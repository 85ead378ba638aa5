import type { IOrigin } from "aws-cdk-lib/aws-cloudfront";
import type { IVpc } from "aws-cdk-lib/aws-ec2";
import type { AppSettings } from "./settings";

/** The way in for HTTP clients: what a CDN in front of the app would fetch from. */
export interface FrontDoor {
  /** CloudFront origin that reaches the app over HTTPS */
  readonly origin: IOrigin;
  /** what the origin is, for descriptions and comments */
  readonly description: string;
}

/**
 * What the app's main stack lends the complements composed into it: each part is optional, and a
 * complement that needs a part the stack lacks is left out (the README says so).
 */
export interface Host {
  /** the VPC the app's compute and data run in */
  readonly vpc?: IVpc;
  /** the app's HTTP entry point */
  readonly frontDoor?: FrontDoor;
}

/** What every complement construct receives. */
export interface AddonProps {
  readonly host: Host;
  readonly settings: AppSettings;
}
