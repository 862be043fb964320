/** The job file of a job `name` copying `/tmp/<name>` to `/tmp/<name>-out/` every hour (UTC); `extra` ends it. */
export function hourlyJob(name: string, extra = ''): string {
  return `version: 1
name: ${name}
source:
  location: /tmp/${name}
routes:
  - name: out
    to: /tmp/${name}-out/
schedule:
  every: 1h
  timezone: UTC
${extra}`;
}

/** An hourly job that also expects `orders_*.csv` by `by` (UTC) every day. */
export function expectingOrdersJob(name: string, by: string): string {
  return hourlyJob(name, `arrival:\n  expect:\n    - { name: 'orders_*.csv', by: '${by}' }\n`);
}
