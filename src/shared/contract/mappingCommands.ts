/** Partner formats: a partner's columns beside Ferry's fields, and a sample file before and after conversion. */
export const MAPPING_COMMANDS = {} as const;
