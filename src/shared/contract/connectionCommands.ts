import { z } from 'zod';
import {
  connectionFieldsSchema,
  editableConnectionSchema,
  SALESFORCE_LOGINS,
  siteFileSchema,
  sitePreviewSchema,
  testOutcomeSchema,
} from './connectionModels.js';
import { empty } from './emptyPayload.js';
import { connectionName, connectionSummarySchema, serverReportSchema } from './models.js';

const saved = z.strictObject({ connection: connectionSummarySchema, report: serverReportSchema.optional() });

/** The site manager: saved connections, their tests, edits, imports and removal. */
export const CONNECTIONS_COMMANDS = {
  'connections.list': {
    input: empty,
    output: z.strictObject({ connections: z.array(connectionSummarySchema) }),
  },
  'connections.add': {
    /** `test`: connect before saving; an unreachable new connection is not saved. */
    input: connectionFieldsSchema.extend({ test: z.boolean() }),
    output: saved,
  },
  /** A saved connection's settings for the edit form, without its secrets. */
  'connections.get': {
    input: z.strictObject({ name: connectionName }),
    output: editableConnectionSchema,
  },
  /** New settings for a saved connection; an empty password keeps the stored one. With `test`, nothing changes unless the server answers. */
  'connections.edit': {
    input: connectionFieldsSchema.extend({ test: z.boolean() }),
    output: saved,
  },
  'connections.test': {
    input: z.strictObject({ name: connectionName }),
    output: testOutcomeSchema,
  },
  /** Tests settings that are not saved (the form being filled in); saves nothing. */
  'connections.probe': {
    input: connectionFieldsSchema,
    output: testOutcomeSchema,
  },
  'connections.remove': {
    input: z.strictObject({ name: connectionName }),
    output: empty,
  },
  /** Reads a FileZilla sitemanager.xml or WinSCP.ini and shows what each site would become; saves nothing. */
  'connections.import.preview': {
    input: siteFileSchema,
    output: z.strictObject({ format: z.enum(['filezilla', 'winscp']), sites: z.array(sitePreviewSchema) }),
  },
  /** Saves the chosen sites of the same file; passwords go to the secret store. */
  'connections.import.apply': {
    input: siteFileSchema.extend({ sites: z.array(z.string()).min(1).max(10_000) }),
    output: z.strictObject({ saved: z.array(z.strictObject({ source: z.string(), name: connectionName })) }),
  },
  /**
   * Starts a browser sign-in to a Salesforce org (OAuth with PKCE). Answers at once with the sign-in
   * page's address (the Electron host has opened it already); the outcome arrives as `connection.status`.
   */
  'connections.salesforce.signIn': {
    input: z.strictObject({
      name: connectionName,
      login: z.enum(SALESFORCE_LOGINS),
      /** For `custom`: a My Domain host or URL. */
      loginUrl: z.string().max(500).optional(),
      sdrive: z.boolean(),
    }),
    output: z.strictObject({ url: z.url(), opened: z.boolean() }),
  },
} as const;
