/** Bandwidth limits the window shows and changes. */
export const LIMITS_COMMANDS = {} as const;
