import { z } from "zod";
import { requirementsSchema } from "../requirements/schema.ts";

/** `schema`: the JSON Schema of the requirements file, from the same zod schema that validates it. */
export function printSchema(): void {
  process.stdout.write(requirementsJsonSchema());
}

/** What `schema` prints. */
export function requirementsJsonSchema(): string {
  const schema = z.toJSONSchema(requirementsSchema, { io: "input", target: "draft-2020-12" });
  const published = {
    ...schema,
    title: "aws-patterns requirements",
    description: "What the system must do and under which constraints. Only `workload` is required.",
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}
