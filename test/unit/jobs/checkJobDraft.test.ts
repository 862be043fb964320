import { describe, expect, it } from 'vitest';
import { checkJobDraft } from '../../../src/jobs/definition/checkJobDraft.js';

const job = (to: string): string => `version: 1
name: archive
source:
  location: ./exports
routes:
  - name: monthly
    to: ${to}
`;

const problemsOf = async (to: string, connections: ReadonlyArray<string> = []) =>
  (await checkJobDraft(job(to), '/ferry/jobs/archive.yaml', (name) => Promise.resolve(connections.includes(name)))).problems.map((p) => `${p.field}: ${p.message}`);

describe('a draft job checked for the editor', () => {
  it('reads the placeholders of a local destination whole, colons in them included', async () => {
    expect(await problemsOf('./archive/{date:yyyy}/{date:MM}/')).toEqual([]);
    expect(await problemsOf('archive:/{date:yyyy}/{date:MM}/', ['archive'])).toEqual([]);
    expect(await problemsOf('./archive/{date:yyyy/')).toEqual([expect.stringMatching(/^routes\[0\]\.to: Template/)]);
  });

  it('names a connection this workspace does not have, and accepts one it has', async () => {
    expect(await problemsOf('erp:/in/')).toEqual(['routes[0].to: there is no connection named "erp" in this workspace: make it under Connections, or name another']);
    expect(await problemsOf('erp:/in/', ['erp'])).toEqual([]);
  });
});
