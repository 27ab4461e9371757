// The parser API's batch records (sp_chunk), each a code followed by its numbers. GENERATED
// from src/abi/protocol.rs (`parse`): do not edit; `UPDATE_PROTOCOL=1 cargo test` rewrites it.
// ES5 syntax.
export var PARSE_SPAN = 0;
export var PARSE_TEXT = 1;
export var PARSE_TYPE = 2;
export var PARSE_ID = 3;
export var PARSE_RETRY = 4;
export var PARSE_TOO_LARGE = 5;
