/** Home: what needs attention now, today's and the next runs, and files moved and refused per day. */
export const HOME_COMMANDS = {} as const;
