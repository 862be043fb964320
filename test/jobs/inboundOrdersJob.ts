/**
 * The job file of a job named `inbound`: partners' order files taken from `source` (`<work>/drop` unless
 * given), a misnamed file or one whose CSV breaks its columns' rules held back, the others routed to
 * `<work>/erp/<partner>/` as `<partner>-<seq>.csv`, and a returned file sent to the location `returnTo`.
 */
export function inboundOrdersJob(work: string, returnTo: string, source = `${work}/drop`): string {
  return `version: 1
name: inbound
source:
  location: ${source}
arrival:
  stableFor: 0s
validate:
  - files: '*.csv'
    name: '^ORD-(?<partner>[A-Z]+)-(?<seq>\\d+)\\.csv$'
    csv:
      columns:
        - { name: order, type: integer, required: true }
        - { name: sku, required: true, pattern: '[A-Z]{3}-\\d{3}' }
        - { name: qty, type: integer, min: 1 }
routes:
  - name: erp
    to: ${work}/erp/{partner}/
    rename: '{partner}-{seq}{ext}'
quarantine:
  returnTo: ${returnTo}
`;
}
