/**
 * The MCP server at {@code /mcp}: published models as tools, the catalog and knowledge bases as resources,
 * every tool call through the same run pipeline as {@code POST /api/runs}.
 *
 * <p>The server side is this package's own small implementation of the Streamable HTTP transport (JSON
 * answers, no server-initiated stream) and JSON-RPC dispatch, although the MCP Java SDK (2.1.0) is on the
 * test classpath, where its client drives {@code /mcp}. The SDK's server was weighed and not adopted because:
 * <ul>
 *   <li>Its tools are server-wide: a tool is registered once and announced to every session. Here the tool
 *       list is per caller, the published models the caller's workspace may run, read from the catalog on
 *       each {@code tools/list}, and each call is authorized from the request's own key.</li>
 *   <li>Its transport ({@code HttpServletStreamableServerTransportProvider}) is a servlet of its own that keeps
 *       sessions in a private in-memory map with its own sweeper. Sessions here are the gateway's
 *       ({@link io.aimp.gateway.mcp.McpSessions}), so that they can live in the database and survive a
 *       restart or move between nodes; the SDK offers no seam for that.</li>
 *   <li>A servlet beside Spring MVC would bypass the HTTP edge this gateway puts on every route: request ids,
 *       authentication and RFC 9457 problems.</li>
 *   <li>It runs on Reactor (a compile dependency of {@code mcp-core}), a second concurrency model beside the
 *       virtual threads every other request runs on.</li>
 * </ul>
 * What the SDK would have given, protocol conformance, is checked instead: the SDK's Java client in the HTTP
 * tests and the official TypeScript SDK client in {@code ci/mcp-conformance}. Revisit when the SDK's server
 * accepts per-request tool lists and an external session store.
 */
package io.aimp.gateway.mcp;
