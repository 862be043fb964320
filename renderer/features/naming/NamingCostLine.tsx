import type { NamingTry } from '../../../src/shared/contract/namingCommands.js';
import { formatCount } from '../../format.js';
import styles from './NamingRulesScreen.module.css';

type Tried = Extract<NamingTry, { status: 'tried' }>;

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** How the names fared, in one sentence. */
function tally(result: Tried): string {
  const count = (match: Tried['rows'][number]['match']): number => result.rows.filter((r) => r.match === match).length;
  const parts = [
    `${formatCount(count('exact'))} exact`,
    `${formatCount(count('ambiguous'))} ambiguous`,
    `${formatCount(count('none'))} with no record`,
    `${formatCount(count('unreadable'))} not fitting the rule`,
  ];
  return `${plural(result.rows.length, 'name', 'names')}: ${parts.join(', ')}.`;
}

/** What resolving the names cost in SOQL, against the org's daily allocation where the org reported it. */
function cost(result: Tried): string {
  const { queries, recordsRead, apiCalls, apiUsage } = result.cost;
  const usage = apiUsage === null ? '' : `; the org has used ${formatCount(apiUsage.used)} of its ${formatCount(apiUsage.limit)} daily API calls`;
  return `Resolving them took ${plural(queries, 'SOQL query', 'SOQL queries')} reading ${plural(recordsRead, 'record', 'records')} (${plural(apiCalls, 'API call', 'API calls')}${usage}).`;
}

/** The tried names' tally and the SOQL cost, read out when they change. */
export function NamingCostLine({ result, trying }: { readonly result: Tried | undefined; readonly trying: boolean }) {
  return (
    <p role="status" aria-label="Result and cost" className={styles.cost}>
      {result !== undefined && (
        <>
          {tally(result)} {cost(result)}
          {result.sourceLeftOut > 0 && ` ${plural(result.sourceLeftOut, 'more file of the folder was', 'more files of the folder were')} left out.`}
        </>
      )}
      {trying && <span className={styles.trying}> Trying…</span>}
    </p>
  );
}
