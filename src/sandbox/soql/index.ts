export type { SoqlQuery } from './ast.js';
export { SoqlError, type SoqlErrorCode } from './errors.js';
export { type QueryData, type QueryOutput, type RunOptions, runSoql } from './evaluate.js';
export { parseSoql } from './parse.js';
export { CDL_RESTRICTION } from './resolve.js';
