import type { TestProject } from 'vitest/node';
import { startTestServers, type StartedServers, type TestServers } from '../helpers/servers/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: TestServers;
  }
}

let started: StartedServers | undefined;

/** One set of real servers for the whole run; tests reach them with `inject('servers')`. */
export async function setup(project: TestProject): Promise<void> {
  started = await startTestServers();
  project.provide('servers', started.servers);
}

export async function teardown(): Promise<void> {
  const current = started;
  started = undefined;
  await current?.stop();
}
