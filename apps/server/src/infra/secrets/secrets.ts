/**
 * Secrets port (DESIGN §1): named credentials (`OPENAI_API_KEY`, …), read once at start. Embedded: the
 * environment, or a `<NAME>_FILE` path (Docker/Kubernetes secret files); cloud: the Dapr Secrets API.
 */
export interface Secrets {
  /** The secret's value, or undefined when it is not set. */
  get(name: string): Promise<string | undefined>;
}
