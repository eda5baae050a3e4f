/** The MCP server: the lake's operations as tools for AI agents, over stdio. */
package io.wirelake.mcp;
