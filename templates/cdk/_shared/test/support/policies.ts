import type { Template } from "aws-cdk-lib/assertions";

/** One statement of an IAM policy document, as CloudFormation holds it. */
export type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every statement of every customer managed policy in the template. */
export function managedStatements(template: Template): Statement[] {
  return Object.values(template.findResources("AWS::IAM::ManagedPolicy")).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}

/**
 * The statements of the template's managed policies that allow `action` on a resource whose JSON
 * contains `resource` (any resource when it is empty). With cdk.json's feature flags CDK merges
 * statements (one action over a list of resources, or several actions over one resource), so a
 * test matches a statement by what it allows, never by its exact shape.
 */
export function statementsAllowing(template: Template, action: string, resource = ""): Statement[] {
  return managedStatements(template).filter(
    (st) => st.Effect === "Allow" && [st.Action].flat().includes(action) && JSON.stringify(st.Resource).includes(resource),
  );
}

/** Whether a managed policy of the template allows `action` on a resource whose JSON contains `resource`. */
export function allows(template: Template, action: string, resource = ""): boolean {
  return statementsAllowing(template, action, resource).length > 0;
}
