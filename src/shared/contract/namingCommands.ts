/** Naming rules tried on real file names: captured fields, the record each matches, and what resolving them costs. */
export const NAMING_COMMANDS = {} as const;
