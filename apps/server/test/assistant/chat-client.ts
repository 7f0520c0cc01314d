import { randomUUID } from 'node:crypto';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';

export interface ToolPart {
  toolName: string;
  state: string;
  input: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: tests reach into the JSON a tool returned
  output?: Record<string, any>;
  errorText?: string;
}

export interface ChatReply {
  message: UIMessage;
  text: string;
  tools: ToolPart[];
}

/**
 * A chat client exactly as the web app's `useChat` talks: the AI SDK's DefaultChatTransport against the
 * real endpoint, and the `ai` package's own reader turning the stream into the assistant's message.
 */
export class ChatClient {
  readonly messages: UIMessage[] = [];
  readonly id = `chat-${randomUUID()}`;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    id?: string,
  ) {
    if (id) this.id = id;
  }

  async send(text: string): Promise<ChatReply> {
    const transport = new DefaultChatTransport({
      api: `${this.baseUrl}/api/v1/chat`,
      headers: { authorization: `Bearer ${this.token}` },
    });
    this.messages.push({ id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] });
    const stream = await transport.sendMessages({
      chatId: this.id,
      messages: this.messages,
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    });
    let message: UIMessage | undefined;
    for await (const m of readUIMessageStream({
      stream,
      onError: (e) => {
        throw e;
      },
    }))
      message = m;
    if (!message) throw new Error('no assistant message in the stream');
    this.messages.push(message);
    return {
      message,
      text: message.parts.map((p) => (p.type === 'text' ? p.text : '')).join(''),
      tools: message.parts.filter((p) => p.type === 'dynamic-tool') as unknown as ToolPart[],
    };
  }
}
