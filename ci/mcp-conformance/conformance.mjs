// Drives the gateway's MCP server with the official TypeScript MCP SDK client.
// Env: AIMP_MCP_URL (e.g. http://127.0.0.1:8080/mcp), AIMP_API_KEY. Exits non-zero when a check fails.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";

const url = process.env.AIMP_MCP_URL;
const key = process.env.AIMP_API_KEY;
if (!url || !key) {
  console.error("set AIMP_MCP_URL and AIMP_API_KEY");
  process.exit(2);
}

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function connect(headers) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: "aimp-mcp-conformance", version: "1.0.0" });
  return { client, transport };
}

const { client, transport } = connect({ "X-API-Key": key });

await check("initialize negotiates the newest protocol version and opens a session", async () => {
  await client.connect(transport);
  assert(client.getServerVersion()?.name === "aimp-gateway", `server info: ${JSON.stringify(client.getServerVersion())}`);
  assert(client.getServerCapabilities()?.tools, "the server offers tools");
  assert(transport.sessionId, "an Mcp-Session-Id was issued");
  assert(transport.protocolVersion === LATEST_PROTOCOL_VERSION,
    `negotiated ${transport.protocolVersion}, the SDK's newest is ${LATEST_PROTOCOL_VERSION}`);
});

await check("tools/list shows demo-model__execute with the contract's schema", async () => {
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === "demo-model__execute");
  assert(tool, `tools: ${tools.map((t) => t.name).join(", ")}`);
  assert(tool.inputSchema.type === "object", "inputSchema is an object schema");
  assert(tool.inputSchema.properties.input.required.includes("text"), "input requires text");
  assert(tool.inputSchema.required.includes("input"), "input is required");
  assert(tool.outputSchema?.type === "object", "the mode's output schema is declared");
  for (const t of tools) {
    assert(/^[A-Za-z0-9_-]{1,64}$/.test(t.name), `tool name ${t.name} uses only allowed characters`);
  }
});

await check("tools/call runs the demo model and returns text and structured content", async () => {
  const result = await client.callTool({
    name: "demo-model__execute",
    arguments: { input: { text: "The gateway keeps provider keys. Every run is logged." } },
  });
  assert(!result.isError, JSON.stringify(result));
  assert(typeof result.structuredContent?.text === "string" && result.structuredContent.text.length > 0,
    `structuredContent: ${JSON.stringify(result.structuredContent)}`);
  assert(result.content[0].type === "text", "text content");
  assert(JSON.parse(result.content[0].text).text === result.structuredContent.text, "text content is the output as JSON");
  assert(result._meta?.["io.aimp/run_id"]?.startsWith("run_"), `run id in _meta: ${JSON.stringify(result._meta)}`);
});

await check("a bad argument is a tool error carrying the validation detail", async () => {
  const result = await client.callTool({ name: "demo-model__execute", arguments: { input: { text: 42 } } });
  assert(result.isError === true, JSON.stringify(result));
  const text = result.content[0].text;
  assert(text.startsWith("invalid_input:"), text);
  assert(text.includes("$.input.text"), text);
});

await check("an unknown tool is a JSON-RPC invalid-params error", async () => {
  let error;
  try {
    await client.callTool({ name: "no-such-model__execute", arguments: {} });
  } catch (e) {
    error = e;
  }
  assert(error && error.code === -32602, `error: ${error}`);
});

await check("resources list and read the demo model's contract", async () => {
  const { resources } = await client.listResources();
  const uris = resources.map((r) => r.uri);
  assert(uris.includes("aimp://models/demo-model") && uris.includes("aimp://knowledge-bases"), uris.join(", "));
  const read = await client.readResource({ uri: "aimp://models/demo-model" });
  const contract = JSON.parse(read.contents[0].text);
  assert(contract.slug === "demo-model" && contract.contract.execute.input, read.contents[0].text);
});

await check("no API key is refused before any JSON-RPC", async () => {
  const anonymous = connect({});
  let error;
  try {
    await anonymous.client.connect(anonymous.transport);
  } catch (e) {
    error = e;
  }
  assert(error, "connecting without a key must fail");
  assert(String(error).includes("401"), `error: ${error}`);
});

await check("the client ends its session", async () => {
  await transport.terminateSession();
  assert(transport.sessionId === undefined, "the session is gone");
  await client.close();
});

console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
