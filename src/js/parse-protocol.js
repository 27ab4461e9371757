// The parser API's batch records (sp_chunk), each a code followed by its numbers. GENERATED
// from src/abi/protocol.rs (`parse`): do not edit; `UPDATE_PROTOCOL=1 cargo test` rewrites it.
// `const`: the minifier writes each number where it is used (scripts/build.mjs).
export const PARSE_SPAN = 0;
export const PARSE_TEXT = 1;
export const PARSE_TYPE = 2;
export const PARSE_ID = 3;
export const PARSE_RETRY = 4;
export const PARSE_TOO_LARGE = 5;
