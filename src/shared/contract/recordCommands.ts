/** Salesforce records: finding one by what a coordinator knows of it. */
export const RECORDS_COMMANDS = {} as const;
