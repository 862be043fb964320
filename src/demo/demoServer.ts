/** A server of the demo, listening on 127.0.0.1 until closed. */
export interface DemoServer {
  readonly port: number;
  close(): Promise<void>;
}
