// Runs first in the Duktape heap: removes what Duktape 2.7 has beyond ES5.1 and Internet
// Explorer 10/11 lack, so the legacy file meets the built-ins it would meet there. Each name is
// here for a reason (the list is printed by `run.mjs --verbose`); the driver checks afterwards
// that the global object holds nothing else unexpected. ES5.
(function (global) {
  var removed = [];
  var kept = [];
  function drop(owner, ownerName, names, why) {
    for (var i = 0; i < names.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(owner, names[i])) continue;
      // ES2015's Number constants cannot be deleted (non-configurable); no code here reads them.
      if (delete owner[names[i]]) removed.push(ownerName + '.' + names[i] + ' (' + why + ')');
      else kept.push(ownerName + '.' + names[i] + ' (non-configurable)');
    }
  }
  // The engine's and dukpy's own objects: no browser has them.
  drop(global, 'global', ['Duktape', 'CBOR', 'Buffer', 'require', 'call_python', '_require_set_module_id'],
    'Duktape or dukpy only');
  // ES2015+ globals: not in IE10/11 (IE11 has a partial Map/Set/WeakMap, Duktape has none).
  drop(global, 'global', ['globalThis', 'Symbol', 'Reflect', 'Proxy'], 'ES2015+, not in IE');
  // Encoding API: no IE has TextDecoder/TextEncoder.
  drop(global, 'global', ['TextDecoder', 'TextEncoder'], 'Encoding API, not in IE');
  drop(Object, 'Object', ['assign', 'getOwnPropertySymbols', 'is', 'setPrototypeOf'],
    'ES2015; setPrototypeOf is IE11 only, so IE10 is the bar');
  drop(Object.prototype, 'Object.prototype', ['__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
    '__lookupSetter__'], 'not ES5; IE10 has none of them');
  drop(Function.prototype, 'Function.prototype', ['name'], 'ES2015; IE functions have no name');
  drop(String, 'String', ['fromCodePoint'], 'ES2015');
  drop(String.prototype, 'String.prototype', ['codePointAt', 'endsWith', 'includes', 'repeat', 'startsWith'], 'ES2015');
  drop(Number, 'Number', ['EPSILON', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'isFinite', 'isInteger', 'isNaN',
    'isSafeInteger', 'parseFloat', 'parseInt'], 'ES2015');
  drop(Math, 'Math', ['cbrt', 'clz32', 'hypot', 'imul', 'log10', 'log2', 'sign', 'trunc', 'fround'],
    'ES2015 (the legacy file brings imul/clz32/trunc/fround itself)');
  drop(RegExp.prototype, 'RegExp.prototype', ['flags'], 'ES2015');
  drop(ArrayBuffer, 'ArrayBuffer', ['isView'], 'not in IE10');
  var typed = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
    'Float32Array', 'Float64Array'];
  for (var t = 0; t < typed.length; t++) drop(global[typed[t]], typed[t], ['allocPlain', 'plainOf', 'from', 'of'], 'Duktape only or ES2015');
  // IE10/11 typed arrays: set, subarray and the accessors only; Duktape has no more than that,
  // which the driver checks rather than assumes.
  var typedProto = Object.getPrototypeOf(Uint8Array.prototype);
  drop(typedProto, '%TypedArray%.prototype', ['copyWithin', 'fill', 'indexOf', 'lastIndexOf', 'slice', 'forEach', 'map',
    'filter', 'includes', 'join', 'reverse', 'sort', 'every', 'some', 'find', 'findIndex', 'reduce', 'entries', 'keys',
    'values'], 'ES2015, not in IE');
  global.__ieRemoved = { removed: removed, kept: kept };
})(this);
