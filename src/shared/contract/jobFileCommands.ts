/** The job editor: templates, reading a job file, checking a draft as the user types, saving it with its comments kept. */
export const JOB_FILES_COMMANDS = {} as const;
