import { describe, expect, it } from 'vitest';
import { THIS_COMPUTER, type ConnectionSummary } from '../../src/shared/contract/models.js';
import { firstPanes } from '../../renderer/stores/start.js';

const connection = (name: string, kind: ConnectionSummary['kind']): ConnectionSummary => ({ name, kind, location: `${kind}://x`, sdrive: false });

describe('the panes the window opens on', () => {
  it('puts the first partner server beside the first Salesforce org, ready for the first drag', () => {
    expect(firstPanes([connection('archive', 'local'), connection('partner-sftp', 'sftp'), connection('org', 'salesforce')])).toEqual({ left: 'partner-sftp', right: 'org' });
    expect(firstPanes([connection('org', 'salesforce'), connection('partner-sftp', 'sftp')])).toEqual({ left: 'partner-sftp', right: 'org' });
  });

  it('shows this computer beside the one saved connection, or on both sides when there is none', () => {
    expect(firstPanes([connection('partner-ftp', 'ftp')])).toEqual({ left: THIS_COMPUTER, right: 'partner-ftp' });
    expect(firstPanes([connection('org', 'salesforce')])).toEqual({ left: THIS_COMPUTER, right: 'org' });
    expect(firstPanes([])).toEqual({ left: THIS_COMPUTER, right: THIS_COMPUTER });
  });
});
