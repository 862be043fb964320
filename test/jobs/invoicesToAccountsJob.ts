/**
 * The job file of a job named `name` that attaches a partner's invoices, taken from `source`, to their
 * Accounts by the AccountNumber in their names. `rest` follows the routes: a description, a schedule,
 * what becomes of the source files.
 */
export function invoicesToAccountsJob(name: string, source: string, rest: string): string {
  return `version: 1
name: ${name}
source:
  location: ${source}
arrival:
  stableFor: 0s
routes:
  - name: accounts
    to: org:Account/
    attachBy: 'INV-{AccountNumber}_{*}.pdf'
${rest}`;
}
