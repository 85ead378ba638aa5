import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool as ListedTool,
} from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { resolve } from "node:path";
import { z } from "zod";
import { isDirectory } from "../catalog/load.ts";
import { describeInternalError, describeUserError, InternalError, UserError } from "../errors.ts";
import { listPatternResources, readPatternResource } from "../mcp/resources.ts";
import { TOOLS, type Tool, type ToolContext } from "../mcp/tools.ts";
import { didYouMean } from "../suggest.ts";

export type McpOptions = { root?: string; patterns?: string[]; debug?: boolean };

/**
 * `mcp`: the advisor as Model Context Protocol tools and resources on stdin and stdout, until stdin
 * ends. stdout carries protocol messages only; anything else goes to stderr.
 *
 * The tools are served through the SDK's `Server`, not `McpServer.registerTool`: McpServer checks
 * the arguments itself and answers a bad one with zod's list of issues, while these tools answer
 * with the CLI's own messages, and read requirements as the CLI reads a file (defaults left unstated,
 * `99.95%` read as 99.95). Their input schemas are the CLI's zod schemas, published by zod.
 */
export async function mcp(options: McpOptions, version: string): Promise<void> {
  const root = resolve(options.root ?? ".");
  if (!isDirectory(root)) throw new UserError(`--root: ${options.root}: no such folder`);
  const context: ToolContext = { root, patterns: (options.patterns ?? []).map((dir) => resolve(dir)), generator: version };
  // the root is the working folder: the commands resolve the paths the tools pass them (relative to the root) there
  process.chdir(root);
  const server = new Server(
    { name: "aws-patterns", version },
    {
      capabilities: { tools: {}, resources: {} },
      jsonSchemaValidator: NO_ELICITATION,
      instructions: `Ranks AWS design patterns against requirements and explains every point. Call requirements_schema for the fields, advise with the requirements for the ranked advice (document: true adds the design document), and scaffold to write the recommended CDK app. Files are read and written inside ${root}.`,
    },
  );
  server.onerror = (error) => process.stderr.write(`aws-patterns: mcp: ${error.message}\n`);
  const calls = new Set<Promise<CallToolResult>>();
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map(listed) }));
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    const call = callTool(request.params.name, request.params.arguments, context, options.debug === true);
    calls.add(call);
    return call.finally(() => calls.delete(call));
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => asProtocolError(async () => ({ resources: await listPatternResources(context.patterns) })));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => asProtocolError(async () => ({ contents: [await readPatternResource(request.params.uri, context.patterns)] })));

  const closed = new Promise<void>((done) => (server.onclose = done));
  // end of input ends the session: the calls under way finish and answer first
  process.stdin.once("end", () => {
    void Promise.allSettled([...calls])
      .then(() => new Promise((next) => setImmediate(next)))
      .then(() => server.close());
  });
  await server.connect(new StdioServerTransport());
  if (process.stdin.isTTY) process.stderr.write(`aws-patterns: serving MCP on stdin and stdout, files inside ${root}; end with Ctrl-D\n`);
  await closed;
}

/**
 * The SDK checks JSON Schema only for a client's answer to an elicitation request (asking the
 * person for input), which this server never sends. Giving it this validator spares building its
 * default one, and lets the build leave ajv out (scripts/build.ts).
 */
const NO_ELICITATION: jsonSchemaValidator = {
  getValidator: () => {
    throw new InternalError("aws-patterns does not ask MCP clients for input");
  },
};

/** A tool as tools/list shows it: its input schema is the zod schema as JSON Schema. */
function listed(tool: Tool): ListedTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: "input", target: "draft-2020-12" }) as ListedTool["inputSchema"],
    // a tool that writes replaces generated files only with force, and writes the same files again when called again
    annotations: { title: tool.title, readOnlyHint: tool.readOnly, ...(tool.readOnly ? {} : { destructiveHint: true, idempotentHint: true }), openWorldHint: false },
  };
}

/** Runs a tool; bad input, and any failure, is a tool error with the text the CLI prints on stderr. */
async function callTool(name: string, args: Record<string, unknown> | undefined, context: ToolContext, debug: boolean): Promise<CallToolResult> {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw invalidParams(`aws-patterns: unknown tool ${JSON.stringify(name.slice(0, 80))}${didYouMean(name, TOOLS.map((t) => t.name))}`);
  try {
    const texts = await tool.run(args, context);
    return { content: texts.map((text) => ({ type: "text", text })) };
  } catch (error) {
    const text = error instanceof UserError ? describeUserError(error) : describeInternalError(error, debug);
    return { content: [{ type: "text", text: text.trimEnd() }], isError: true };
  }
}

/** A resource request's UserError as a protocol error (invalid params) with the CLI's message. */
async function asProtocolError<T>(handle: () => Promise<T>): Promise<T> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof UserError) throw invalidParams(describeUserError(error).trimEnd());
    throw error;
  }
}

/**
 * A JSON-RPC "invalid params" error whose message is `text` alone: the SDK sends a thrown error's
 * code and message, and the client adds the `MCP error -32602:` prefix (an McpError would carry it twice).
 */
function invalidParams(text: string): Error {
  return Object.assign(new Error(text), { code: ErrorCode.InvalidParams });
}
