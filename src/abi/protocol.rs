//! The batch protocol, defined once: every op the engine sends the JavaScript face, with its code,
//! how many numeric arguments follow it, whether it consumes a text, and which decoder state it
//! sets; and the numbers the inputs take.
//!
//! `src/js/protocol.js` is rendered from these definitions by a test (`render_js`, checked in
//! `abi::tests`), so the two sides cannot drift apart: adding an op is one entry in the `ops!`
//! list below (plus the encoder's and the JS decoder's case for it).
//!
//! Wire form of a batch: `ops` is a list of `u32`, each op code followed by exactly its
//! [`OpInfo::args`] numbers; `texts` are the strings, in the order the ops that take one
//! consume them (how texts travel is the batch's business, not an op's: today each ends in CR).

/// State the decoder keeps between ops, and between batches, for its engine's whole life. An op
/// that sets it acts on nothing; later ops read it. The encoder mirrors this state and sends an
/// op that sets it only when the value changes; it sends one before the state is first read, so
/// the decoder needs no agreed initial value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecoderState {
    /// The type of the `MessageEvent`s [`MESSAGE`] fires.
    EventType = 0,
    /// The `lastEventId` of the `MessageEvent`s [`MESSAGE`] fires.
    LastEventId = 1,
}

impl DecoderState {
    /// How many kinds of decoder state there are (the encoder's mirror has one slot each).
    pub const COUNT: usize = 2;

    pub const fn name(self) -> &'static str {
        match self {
            DecoderState::EventType => "event type",
            DecoderState::LastEventId => "last event ID",
        }
    }
}

/// An op the decoder acts on, with `ARGS` numbers after its code and a text when `TEXT`. The
/// shape is in the type, so the encoder cannot send an op with the wrong number of arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op<const ARGS: usize, const TEXT: bool> {
    pub code: u32,
}

/// An op that sets decoder state from its text (no numeric arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateOp {
    pub code: u32,
    pub state: DecoderState,
}

/// One op's definition, as listed in [`OPS`] and rendered for JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// The constant's name (`OP_` + this in JS).
    pub name: &'static str,
    pub code: u32,
    /// Numbers that follow the code in `ops`.
    pub args: usize,
    /// Whether it consumes the next text.
    pub text: bool,
    /// The decoder state its text sets, if that is all it does.
    pub sets: Option<DecoderState>,
    pub doc: &'static str,
}

/// Defines each op as a typed constant and lists them all in [`OPS`].
macro_rules! ops {
    (@type args $args:literal text $text:literal) => { Op<$args, $text> };
    (@type sets $state:ident) => { StateOp };
    (@value $code:literal, args $args:literal text $text:literal) => { Op { code: $code } };
    (@value $code:literal, sets $state:ident) => {
        StateOp { code: $code, state: DecoderState::$state }
    };
    (@info $name:ident $code:literal $doc:expr, args $args:literal text $text:literal) => {
        OpInfo { name: stringify!($name), code: $code, args: $args, text: $text, sets: None, doc: $doc }
    };
    (@info $name:ident $code:literal $doc:expr, sets $state:ident) => {
        OpInfo {
            name: stringify!($name), code: $code, args: 0, text: true,
            sets: Some(DecoderState::$state), doc: $doc,
        }
    };
    ($( $(#[doc = $doc:literal])+ $name:ident = $code:literal { $($shape:tt)* } )*) => {
        $(
            $(#[doc = $doc])+
            pub const $name: ops!(@type $($shape)*) = ops!(@value $code, $($shape)*);
        )*
        /// Every op, in code order.
        pub const OPS: &[OpInfo] = &[$( ops!(@info $name $code concat!($($doc, "\n"),+), $($shape)*) ),*];
    };
}

ops! {
    /// Start a request. Argument: how the last event ID travels (`ID_HEADER_*`). Text: the last
    /// event ID, sent as `Last-Event-ID` when not empty and the argument is `ID_HEADER_SEND`.
    CONNECT = 1 { args 1 text true }
    /// Abort the request in flight.
    ABORT = 2 { args 0 text false }
    /// Arm the reconnection timer (replacing an armed one). Argument: milliseconds, at most
    /// `MAX_TIMER_MS`.
    ARM_TIMER = 3 { args 1 text false }
    /// Cancel the reconnection timer.
    CANCEL_TIMER = 4 { args 0 text false }
    /// Set `readyState`. Argument: 0 (`CONNECTING`), 1 (`OPEN`) or 2 (`CLOSED`, final).
    READY_STATE = 5 { args 1 text false }
    /// Fire `open`.
    OPEN = 6 { args 0 text false }
    /// Fire a `MessageEvent`. Argument: the reconnection time a `retry` field of the event's
    /// block set, at most `UNSET - 1` (`UNSET`: none, the engine's `NO_RETRY`; the parser API
    /// reports it, the EventSource ignores it). Text: its data; its type and last event ID are the
    /// decoder state.
    MESSAGE = 7 { args 1 text true }
    /// Set the event type of the messages that follow.
    TYPE = 8 { sets EventType }
    /// Set the last event ID of the messages that follow.
    ID = 9 { sets LastEventId }
    /// Fire `error`. Arguments: the reason (an index into `REASONS`), the response's status (0:
    /// none), and the milliseconds until the reconnection (`UNSET`: none follows, CLOSED).
    ERROR = 10 { args 3 text false }
    /// Arm the heartbeat watchdog (replacing an armed one). Argument: milliseconds, at most
    /// `MAX_TIMER_MS`.
    ARM_HEARTBEAT = 11 { args 1 text false }
    /// Cancel the heartbeat watchdog.
    CANCEL_HEARTBEAT = 12 { args 0 text false }
    /// Ask the page's `reconnect` function, then answer with `INPUT_DECIDE`. Arguments as `ERROR`'s:
    /// the engine's own proposal.
    DECIDE = 13 { args 3 text false }
}

/// The longest wait a timer op carries: `setTimeout` takes delays above 2^31 - 1 ms as 0, and
/// such a wait is "never" for a page anyway.
pub const MAX_TIMER_MS: u32 = 0x7FFF_FFFF;

/// "Not set", for the inputs' optional numbers (and MESSAGE's retry: the engine's `NO_RETRY`).
pub const UNSET: u32 = u32::MAX;
// MESSAGE passes the engine's retry as it is: its "none" must be this.
const _: () = assert!(crate::engine::parser::NO_RETRY == UNSET);

/// The backoff factor crosses as millionths: this is 1.0 (and anything below it means no backoff).
pub const FACTOR_ONE: u32 = crate::engine::FACTOR_ONE;

/// `es_new`'s flags: retry after 5xx/429 and after network errors before the first open.
pub const FLAG_RECONNECT_ON_ERROR: u32 = 1;

/// The failure reasons, by their code ([`crate::engine::Failure`] as u32), as the error event's
/// `reason` names them.
pub const REASONS: [&str; 11] = [
    "network",
    "status",
    "content-type",
    "cors",
    "heartbeat",
    "too-large",
    "retries-exhausted",
    "ended",
    "aborted",
    "request",
    "headers",
];

/// [`Input::Decide`]'s first number: what the page's `reconnect` function answered.
pub const DECIDE_DEFAULT: u32 = 0;
pub const DECIDE_FAIL: u32 = 1;
pub const DECIDE_RECONNECT: u32 = 2;

/// CONNECT's argument: how the last event ID travels ([`crate::engine::IdHeader`]).
pub const ID_HEADER_SEND: u32 = crate::engine::IdHeader::Send as u32;
pub const ID_HEADER_PROBE: u32 = crate::engine::IdHeader::Probe as u32;
pub const ID_HEADER_REFUSED: u32 = crate::engine::IdHeader::Refused as u32;

/// `es_new`'s flag: the page decides after each failure (the `reconnect` option).
pub const FLAG_DECIDES: u32 = 2;

/// A code enum JS shares: the variants with their codes and the names of their JS constants
/// (rendered into protocol.js by `render_js`), `ALL` in code order, and `name()`. The codes
/// count from 0, so that a code is its index in `ALL` (checked by the tests).
macro_rules! codes {
    ($(#[$meta:meta])* pub enum $enum:ident {
        $($(#[$variant_meta:meta])* $variant:ident = $code:literal => $js:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $enum {
            $($(#[$variant_meta])* $variant = $code,)*
        }

        impl $enum {
            pub const ALL: [$enum; [$($code),*].len()] = [$($enum::$variant),*];

            /// The JS constant's name.
            pub const fn name(self) -> &'static str {
                match self {
                    $($enum::$variant => $js,)*
                }
            }

            /// The variant `code` names, if any. A match, not a lookup in `ALL`: the compiler
            /// sees that the code is the discriminant, and a dispatch on the variant needs no
            /// table.
            pub const fn known(code: u32) -> Option<$enum> {
                match code {
                    $($code => Some($enum::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    /// The engine's inputs, as `es_send` takes them: this code, then three numbers `a`, `b` and `c`
    /// (0 where an input takes fewer). One export for them all: each export costs the module its
    /// own copy of the glue around the engine.
    pub enum Input {
        /// Start the first request.
        Start = 0 => "INPUT_START",
        /// The response ended: `a` is an [`End`] code.
        End = 1 => "INPUT_END",
        /// The page's decision after a `DECIDE` op: `a` is `DECIDE_DEFAULT`, `DECIDE_FAIL` or
        /// `DECIDE_RECONNECT` (after `b` ms; `UNSET`: the engine's delay).
        Decide = 2 => "INPUT_DECIDE",
        /// The reconnection timer ran out.
        Timer = 3 => "INPUT_TIMER",
        /// The heartbeat watchdog ran out.
        Heartbeat = 4 => "INPUT_HEARTBEAT",
        /// Restart the stream unseen at the next resume point (see `Connection::recycle`). Only in
        /// modules built with feature `js-recycle` (elsewhere a no-op, as are the inputs below that
        /// name a feature).
        Recycle = 5 => "INPUT_RECYCLE",
        /// The page came back (`reconnectOnResume`: online again, shown from the back/forward cache,
        /// visible, resumed): `a` is the milliseconds since the request's last byte (`UNSET`:
        /// unknown), `b` 0 when the runtime says it is offline (see `Connection::resumed`). Feature
        /// `js-resume`.
        Resume = 6 => "INPUT_RESUME",
        /// The application's stream (`EventSource.fromReadableStream()`, the parser): `a` is a
        /// [`Stream`] code. Its bytes come as [`Input::Chunk`]s after a [`Stream::Data`]. Feature
        /// `js-stream`.
        Stream = 7 => "INPUT_STREAM",
        /// `close()`.
        Close = 8 => "INPUT_CLOSE",
        /// A response head: `a` is the status, `b` 1 when the input holds the `Content-Type` value
        /// (0: none), `c` `Retry-After` in milliseconds (`UNSET`: none).
        Response = 9 => "INPUT_RESPONSE",
        /// A body chunk: the input's first `a` bytes.
        Chunk = 10 => "INPUT_CHUNK",
        /// No input: the state the page reads, instead of a batch: the header is `[reconnection
        /// time (ms, at most u32::MAX), last event ID pointer, its length, 0]`. Feature `js-stream`
        /// (`fromReadableStream()`'s getters).
        Info = 11 => "INPUT_INFO",
    }
}

impl Input {
    /// The code JS passed; `None` for an unknown one, which does nothing.
    pub fn from_code(code: u32) -> Option<Input> {
        Input::known(code)
    }
}

codes! {
    /// How a response ended, as `es_send`'s [`Input::End`] takes it.
    pub enum End {
        /// The body ended normally.
        BodyEnded = 0 => "BODY_ENDED",
        /// The connection failed while the body was being read.
        BodyFailed = 1 => "BODY_FAILED",
        /// The request failed before any response, same-origin.
        RequestFailed = 2 => "REQUEST_FAILED",
        /// The request failed before any response, cross-origin (a CORS refusal looks like this).
        CrossOriginRequestFailed = 3 => "CROSS_ORIGIN_REQUEST_FAILED",
        /// The page aborted the fetch (`window.stop()`), not this source: fails the connection.
        Aborted = 4 => "ABORTED",
        /// The request can never be made (URL credentials, a scheme fetch cannot speak): fails.
        Impossible = 5 => "IMPOSSIBLE",
        /// The headers function failed with a TypeError: fails.
        HeadersRefused = 6 => "HEADERS_REFUSED",
        /// The headers function failed otherwise: a failed attempt, reestablished.
        HeadersFailed = 7 => "HEADERS_FAILED",
    }
}

impl End {
    /// The code JS passed; unknown codes are taken as a cross-origin request failure, the
    /// conservative reading.
    pub fn from_code(code: u32) -> End {
        End::known(code).unwrap_or(End::CrossOriginRequestFailed)
    }
}

codes! {
    /// What `es_send`'s [`Input::Stream`] is told about the application's stream
    /// (`EventSource.fromReadableStream()`, the parser).
    pub enum Stream {
        /// The source is created around the stream: no request.
        Start = 0 => "STREAM_START",
        /// Bytes from the stream are coming, as [`Input::Chunk`]s.
        Data = 1 => "STREAM_DATA",
        /// The stream ended or errored.
        End = 2 => "STREAM_END",
        /// `reset()`: discard what did not make an event yet.
        Reset = 3 => "STREAM_RESET",
    }
}

impl Stream {
    /// The code JS passed; unknown codes are taken as the stream's end, the conservative reading.
    pub fn from_code(code: u32) -> Stream {
        Stream::known(code).unwrap_or(Stream::End)
    }
}

/// The parser API's batch (`sp_chunk`, [`super::parse`]): records in `ops`, each a code followed by
/// its numbers, and texts as in the EventSource's batches (each ends in CR). JS starts with the
/// type `message` and the last event ID empty.
pub mod parse {
    /// An event whose data are the chunk's bytes `start..end`, ASCII and all the bytes before
    /// them too: sliced from the decode of the chunk's first `decode_len` bytes. Numbers: start,
    /// end, retry (as `MESSAGE`'s argument).
    pub const SPAN: u32 = 0;
    /// An event whose data is the next text. Number: retry.
    pub const TEXT: u32 = 1;
    /// The type of the events that follow is the next text.
    pub const TYPE: u32 = 2;
    /// The last event ID of the events that follow is the next text.
    pub const ID: u32 = 3;
    /// A `retry` field changed the reconnection time: number, the milliseconds (at most
    /// `UNSET`). Last in a batch.
    pub const RETRY: u32 = 4;
    /// An event passed the maximum size: the parser started afresh (type, last event ID and
    /// reconnection time as at first). Last in a batch.
    pub const TOO_LARGE: u32 = 5;

    /// Their JS names (`PARSE_` + this).
    pub const NAMES: [(&str, u32); 6] = [
        ("SPAN", SPAN),
        ("TEXT", TEXT),
        ("TYPE", TYPE),
        ("ID", ID),
        ("RETRY", RETRY),
        ("TOO_LARGE", TOO_LARGE),
    ];
}

/// The plain numbers the JS side needs, with their JS names.
pub const NUMBERS: &[(&str, u32, &str)] = &[
    (
        "UNSET",
        UNSET,
        "\"Not set\", for the inputs' optional numbers.",
    ),
    (
        "FACTOR_ONE",
        FACTOR_ONE,
        "The backoff factor 1.0, in the millionths es_new takes (below it: no backoff).",
    ),
    (
        "FLAG_RECONNECT_ON_ERROR",
        FLAG_RECONNECT_ON_ERROR,
        "es_new's flag for reconnectOnError.",
    ),
    (
        "FLAG_DECIDES",
        FLAG_DECIDES,
        "es_new's flag for the reconnect option.",
    ),
    (
        "DECIDE_DEFAULT",
        DECIDE_DEFAULT,
        "INPUT_DECIDE: the engine's proposal.",
    ),
    (
        "DECIDE_FAIL",
        DECIDE_FAIL,
        "INPUT_DECIDE: fail the connection.",
    ),
    (
        "DECIDE_RECONNECT",
        DECIDE_RECONNECT,
        "INPUT_DECIDE: reconnect (after the delay given, UNSET: the engine's).",
    ),
    (
        "ID_HEADER_SEND",
        ID_HEADER_SEND,
        "CONNECT: send the last event ID as Last-Event-ID.",
    ),
    (
        "ID_HEADER_PROBE",
        ID_HEADER_PROBE,
        "CONNECT: without Last-Event-ID, to learn whether a CORS preflight refused it.",
    ),
    (
        "ID_HEADER_REFUSED",
        ID_HEADER_REFUSED,
        "CONNECT: without Last-Event-ID, which the server's CORS preflight refuses.",
    ),
    (
        "MAX_TIMER_MS",
        MAX_TIMER_MS,
        "The longest wait a timer op carries.",
    ),
];

/// `src/js/parse-protocol.js`: the parser API's records ([`parse`]) as module exports. A module
/// of its own: the EventSource's bundles never see these names (esbuild's minified names in them
/// change when protocol.js gains exports, even unused ones).
#[cfg(test)]
pub fn render_parse_js() -> alloc::string::String {
    use alloc::format;
    let mut js = alloc::string::String::from(
        "// The parser API's batch records (sp_chunk), each a code followed by its numbers. GENERATED\n\
         // from src/abi/protocol.rs (`parse`): do not edit; `UPDATE_PROTOCOL=1 cargo test` rewrites it.\n\
         // `const`: the minifier writes each number where it is used (scripts/build.mjs).\n",
    );
    for (name, value) in parse::NAMES {
        js.push_str(&format!("export const PARSE_{name} = {value};\n"));
    }
    js
}

/// `src/js/protocol.js`: the definitions above as module exports, `const` so that the minifier
/// writes each number where it is used (scripts/build.mjs says how the ES5 builds take them).
#[cfg(test)]
pub fn render_js() -> alloc::string::String {
    use alloc::format;
    use alloc::string::String;
    let mut js = String::from(
        "// The batch protocol between the engine and this face. GENERATED from src/abi/protocol.rs:\n\
         // do not edit. `cargo test` fails when this file is not what that definition renders;\n\
         // `UPDATE_PROTOCOL=1 cargo test` rewrites it. `const`: the minifier writes each number\n\
         // where it is used (scripts/build.mjs).\n\
         //\n\
         // An engine input returns a batch: `ops`, u32s where each op code is followed by its numeric\n\
         // arguments, and `texts`, consumed in order by the ops that take one. Ops that set decoder\n\
         // state come before the state is first read and again whenever it changes; the decoder\n\
         // keeps it for the engine's life.\n",
    );
    for op in OPS {
        let mut shape = format!(
            "{} argument{}",
            op.args,
            if op.args == 1 { "" } else { "s" }
        );
        if let Some(state) = op.sets {
            shape = format!("sets the decoder's {} to its text", state.name());
        } else if op.text {
            shape.push_str(", 1 text");
        }
        js.push_str(&format!(
            "\n/** {} ({shape}) */\nexport const OP_{} = {};\n",
            op.doc
                .split('\n')
                .map(str::trim)
                .collect::<alloc::vec::Vec<_>>()
                .join(" ")
                .trim(),
            op.name,
            op.code
        ));
    }
    // For code that walks a batch without acting on every op (the `shared` option's relay): each
    // op's argument count by code, and a bit set of the codes that take a text.
    let max = OPS.iter().map(|op| op.code).max().unwrap_or(0) as usize;
    let mut counts = alloc::vec![0; max + 1];
    let mut texts = 0u32;
    for op in OPS {
        counts[op.code as usize] = op.args;
        if op.text {
            texts |= 1 << op.code;
        }
    }
    js.push_str(&format!(
        "\n/** Bit `1 << code` is set for each op that takes a text. */\nexport const OP_TEXTS = {texts};\n"
    ));
    js.push_str("\n// The engine's inputs, as es_send takes them (then three numbers).\n");
    for input in Input::ALL {
        js.push_str(&format!(
            "export const {} = {};\n",
            input.name(),
            input as u32
        ));
    }
    js.push_str("\n// How a response ended, as INPUT_END takes it.\n");
    for end in End::ALL {
        js.push_str(&format!("export const {} = {};\n", end.name(), end as u32));
    }
    js.push_str(
        "\n// What INPUT_STREAM is told about an application's stream (fromReadableStream, the parser).\n",
    );
    for what in Stream::ALL {
        js.push_str(&format!(
            "export const {} = {};\n",
            what.name(),
            what as u32
        ));
    }
    for (name, value, doc) in NUMBERS {
        js.push_str(&format!("\n/** {doc} */\nexport const {name} = {value};\n"));
    }
    // Last: esbuild inlines a module's constants only up to its first one that is not a number
    // or a string (an array, a call). The call is marked pure, so a bundle that never reads the
    // reasons (the parser's) leaves it out.
    js.push_str(&format!(
        "\n/** Each op's number of arguments, by op code. */\nexport const OP_ARGS = {counts:?};\n"
    ));
    js.push_str(&format!(
        "\n/** The error event's reasons, by the code ERROR and DECIDE carry. */\nexport const REASONS = /* @__PURE__ */ '{}'.split(' ');\n",
        REASONS.join(" ")
    ));
    js
}
