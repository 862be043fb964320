import { Connection } from '@jsforce/jsforce-node';
import { startTestOrg } from '../helpers/salesforce.js';
import { describeRemoteFs } from './remoteFs.suite.js';

// Files hang on records: the suite runs inside one Account, where there are no folders to make.
describeRemoteFs(
  'salesforce files',
  async () => {
    const org = await startTestOrg({ seed: 'empty' });
    const conn = new Connection({
      instanceUrl: org.sandbox.url,
      accessToken: org.sandbox.oauth.issueAccessToken(org.sandbox.context.defaultUser.username),
      version: '64.0',
    });
    const account = (await conn.sobject('Account').create({ Name: 'Conformance Account' })) as { id: string };
    return {
      fs: org.files({ root: `Account/${account.id}` }),
      canDenyPermission: false,
      close: () => org.close(),
    };
  },
  { folders: false, resume: false, rename: false, resolvesLinks: true },
);
