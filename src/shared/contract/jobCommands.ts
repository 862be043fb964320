/** Jobs: the list of saved jobs, run now, dry run, enable and disable. */
export const JOBS_COMMANDS = {} as const;
