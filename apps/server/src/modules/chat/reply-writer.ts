import { randomUUID } from 'node:crypto';
import type { UIMessageChunk } from 'ai';
import type { ToolCaller, ToolCallResult } from './mcp-connection.ts';

/**
 * Writes a reply that the server composes itself (the offline assistant, a confirmed deletion) in the AI SDK
 * UI message-stream protocol: each tool call as a `dynamic-tool` part with its structured output (the task
 * objects the web app renders as cards), and text as text parts.
 */
export class ReplyWriter {
  constructor(
    private readonly emit: (chunk: UIMessageChunk) => void,
    private readonly tools: ToolCaller,
  ) {}

  async tool(name: string, args: Record<string, unknown>): Promise<ToolCallResult> {
    const toolCallId = `call-${randomUUID()}`;
    this.emit({ type: 'tool-input-available', toolCallId, toolName: name, input: args, dynamic: true });
    const result = await this.tools.call(name, args);
    if (result.isError)
      this.emit({ type: 'tool-output-error', toolCallId, errorText: result.text, dynamic: true });
    else this.emit({ type: 'tool-output-available', toolCallId, output: result.data, dynamic: true });
    return result;
  }

  say(text: string): void {
    const id = `text-${randomUUID()}`;
    this.emit({ type: 'text-start', id });
    this.emit({ type: 'text-delta', id, delta: text });
    this.emit({ type: 'text-end', id });
  }
}
