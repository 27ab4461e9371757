// Reads an application's ReadableStream of bytes (EventSource.fromReadableStream()): a transport
// as platform.d.ts describes, with no request and no response head, only chunks and the end.
// ES5 syntax.

/** Reads `reader` into `sink`: chunk() per Uint8Array (the next read waits for resume()), then
 * end(0) when the stream closes or end(1) when it errors or yields something other than bytes.
 * abort() cancels the stream and silences the sink. */
export function readStream(reader, sink) {
  var aborted = false;
  var failed = function () { if (!aborted) sink.end(1); };
  var pump = function () {
    reader.read().then(function (result) {
      if (aborted) return;
      if (result.done) sink.end(0);
      else if (result.value instanceof Uint8Array) sink.chunk(result.value, pump);
      else failed();
    }, failed);
  };
  pump();
  return {
    abort: function () {
      if (aborted) return;
      aborted = true;
      // Cancelling a stream that already ended or errored rejects: nothing to report then.
      reader.cancel().then(null, function () {});
    },
  };
}
