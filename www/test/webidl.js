// window.describeInterface(EventSource): the interface object and its prototype as WebIDL shapes
// them, property by property (tests/browser/webidl.mjs compares ours with the browser's own):
// each own key (symbols too) with enumerable/configurable/writable and, for a value, getter or
// setter, its type, and a function's name and length. ES5 syntax, run by modern browsers only.
(function () {
  function kind(value) {
    if (typeof value === 'function') return 'function ' + JSON.stringify(value.name) + ' length ' + value.length;
    if (typeof value === 'number' || typeof value === 'string') return typeof value + ' ' + JSON.stringify(value);
    return value === null ? 'null' : typeof value;
  }
  function describe(object) {
    var out = {};
    var keys = Object.getOwnPropertyNames(object).concat(Object.getOwnPropertySymbols(object));
    for (var i = 0; i < keys.length; i++) {
      var d = Object.getOwnPropertyDescriptor(object, keys[i]);
      var entry = { enumerable: d.enumerable, configurable: d.configurable };
      if ('value' in d) {
        entry.writable = d.writable;
        entry.value = kind(d.value);
      } else {
        entry.get = kind(d.get);
        entry.set = kind(d.set);
      }
      out[String(keys[i])] = entry;
    }
    return out;
  }
  window.describeInterface = function (EventSource) {
    var base = window.__native.EventTarget;
    return JSON.stringify({
      EventSource: describe(EventSource),
      'EventSource.prototype': describe(EventSource.prototype),
      inheritance: {
        'EventSource extends EventTarget': Object.getPrototypeOf(EventSource) === base,
        'EventSource.prototype extends EventTarget.prototype': Object.getPrototypeOf(EventSource.prototype) === base.prototype,
      },
    });
  };
})();
