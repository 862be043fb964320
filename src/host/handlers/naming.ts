import { TransferError } from '../../connectors/errors.js';
import { NamingRuleSyntaxError, parseNamingRule, type NamingRule } from '../../connectors/salesforce/namingRule.js';
import type { RecordMatch } from '../../connectors/salesforce/RecordResolver.js';
import type { SalesforceFilesFs } from '../../connectors/salesforce/SalesforceFilesFs.js';
import { listNamingRoutes, saveRouteRule, type NamingRoute } from '../../jobs/definition/namingRoutes.js';
import { THIS_COMPUTER } from '../../shared/contract/models.js';
import { NAMING_CANDIDATES, NAMING_SOURCE_NAMES, type NAMING_COMMANDS, type NamingRoute as NamingRouteView, type NamingRow } from '../../shared/contract/namingCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

/**
 * The naming-rule editor: a rule tried on a folder's real file names and on typed ones with the very
 * parser and record lookup transfers and job runs use, the job routes that hold rules, and saving one back.
 */
export function namingHandlers({ connections, listings, workspace }: HostContext): HandlersOf<typeof NAMING_COMMANDS> {
  const salesforce = async (connection: string): Promise<SalesforceFilesFs> => {
    // Loaded on first use, as transfers do: jsforce stays out of a window that never tries a rule.
    const { SalesforceFilesFs } = await import('../../connectors/salesforce/SalesforceFilesFs.js');
    const fs = await connections.get(connection);
    if (!(fs instanceof SalesforceFilesFs)) throw new TransferError('unsupported', `${connection} is not a Salesforce Files connection: a naming rule finds records there`);
    return fs;
  };

  /** The source folder's file names, the first `NAMING_SOURCE_NAMES` by name, and how many were left out. */
  const sourceNames = async (source: { readonly connection: string; readonly path: string } | undefined): Promise<{ names: string[]; leftOut: number }> => {
    if (source === undefined) return { names: [], leftOut: 0 };
    const fs = await connections.get(source.connection);
    const listed = await listings.page(source.connection, fs, source.path, { offset: 0, limit: Number.MAX_SAFE_INTEGER, sort: { by: 'name', direction: 'asc' } });
    const files = listed.entries.filter((e) => e.kind === 'file');
    return { names: files.slice(0, NAMING_SOURCE_NAMES).map((e) => e.name), leftOut: Math.max(0, files.length - NAMING_SOURCE_NAMES) };
  };

  return {
    'naming.try': async ({ rule, target, source, names }) => {
      const parsed = parsedRule(rule);
      if (parsed instanceof NamingRuleSyntaxError) return { status: 'invalid' as const, position: parsed.position, reason: parsed.reason, message: parsed.message };
      const fs = await salesforce(target.connection);
      const listed = await sourceNames(source);
      const tried = [...listed.names.map((name) => ({ name, from: 'source' as const })), ...names.map((name) => ({ name, from: 'typed' as const }))];
      const found = await fs.matchRecords(target.object, parsed, tried.map((t) => t.name));
      const rows = tried.map((t, i): NamingRow => rowOf(t.name, t.from, found.matches[i]));
      return {
        status: 'tried' as const,
        fields: [...found.fields],
        rows,
        sourceLeftOut: listed.leftOut,
        // The look at the object's fields is one call besides the queries.
        cost: { queries: found.queries, recordsRead: found.recordsRead, apiCalls: found.queries + 1, apiUsage: found.apiUsage ?? null },
      };
    },
    'naming.routes': async () => {
      const { routes, unreadable } = await listNamingRoutes(workspace.paths.jobs, THIS_COMPUTER);
      return { routes: routes.map(routeView), unreadable };
    },
    'naming.save': async ({ file, route, rule }) => ({ route: routeView(await saveRouteRule(workspace.paths.jobs, file, route, rule, THIS_COMPUTER)) }),
  };
}

/** The rule, or why it does not parse. */
function parsedRule(rule: string): NamingRule | NamingRuleSyntaxError {
  try {
    return parseNamingRule(rule);
  } catch (e) {
    if (e instanceof NamingRuleSyntaxError) return e;
    throw e;
  }
}

function rowOf(name: string, from: NamingRow['from'], match: RecordMatch | undefined): NamingRow {
  const base = { name, from, candidates: [], moreCandidates: 0 };
  if (match === undefined) return { ...base, match: 'unreadable', captured: [], reason: `No answer for ${name}` };
  switch (match.kind) {
    case 'unreadable':
      return { ...base, match: 'unreadable', captured: [], reason: match.error.message };
    case 'none':
      return { ...base, match: 'none', captured: match.readings.map((r) => ({ ...r })), reason: match.error.message };
    case 'ambiguous':
      return {
        ...base,
        match: 'ambiguous',
        captured: match.readings.map((r) => ({ ...r })),
        candidates: match.candidates.slice(0, NAMING_CANDIDATES).map((c) => ({ id: c.id, name: c.name, matchedOn: { ...c.matchedOn } })),
        moreCandidates: Math.max(0, match.candidates.length - NAMING_CANDIDATES),
        reason: match.error.message,
      };
    case 'exact':
      return { ...base, match: 'exact', captured: [{ ...match.record.matchedOn }], record: { id: match.record.recordId, name: match.record.recordName } };
  }
}

function routeView(route: NamingRoute): NamingRouteView {
  return { file: route.file, job: route.job, route: route.route, rule: route.rule, target: { ...route.target }, source: route.source === undefined ? null : { ...route.source } };
}
