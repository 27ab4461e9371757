//! The few JavaScript bindings the face calls; everything else it reaches by name through
//! [`get`] and [`call`].
//!
//! Why so few: each typed binding is one more wasm import and one more function in the generated
//! glue, which cost an app more than a property lookup by name does. Everything is reached
//! through the global object, so the same code works in a window and in dedicated, shared and
//! service workers (web-sys puts `fetch` and the timers on `Window` and `WorkerGlobalScope`
//! separately), and a worker simply has no `document`.

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    // `catch`: on `undefined` or `null` it throws, which reads as `undefined`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn reflect_get(target: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    /// `Reflect.get` as a number (JavaScript's `+value`: `true` 1, `false` 0, `undefined` NaN):
    /// numbers and booleans need no `JsValue` and no type-check intrinsics this way.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn reflect_get_number(target: &JsValue, key: &str) -> Result<f64, JsValue>;

    /// `Reflect.set` (on an object the face made, so it never throws).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn put(target: &Object, key: &str, value: &JsValue);

    /// A JavaScript function.
    #[wasm_bindgen(js_name = Function)]
    pub type Function;

    /// `call` for the methods that return a number and never throw (`Date.now`, ...).
    #[wasm_bindgen(method, js_name = call)]
    fn call_number(this: &Function, context: &JsValue, a: &JsValue) -> f64;

    #[wasm_bindgen(catch, method, js_name = call)]
    pub fn call_with(
        this: &Function,
        context: &JsValue,
        a: &JsValue,
        b: &JsValue,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = TextEncoder)]
    type TextEncoder;
    #[wasm_bindgen(constructor, js_class = TextEncoder)]
    fn new() -> TextEncoder;

    /// `Uint8Array.prototype.set.call(target, source)`, `target` a view of the module's memory.
    #[wasm_bindgen(method, js_name = call)]
    fn copy_into(this: &Function, target: &mut [u8], source: &JsValue);

    /// A plain object (the fetch options).
    #[wasm_bindgen(js_name = Object)]
    pub type Object;

    #[wasm_bindgen(js_name = AbortController)]
    pub type AbortController;
    #[wasm_bindgen(catch, constructor, js_class = AbortController)]
    pub fn new() -> Result<AbortController, JsValue>;

    /// `new URL(url, base)`; an undefined base is none.
    #[wasm_bindgen(js_name = URL)]
    pub type Url;
    #[wasm_bindgen(catch, constructor, js_class = URL)]
    pub fn new(url: &JsValue, base: &JsValue) -> Result<Url, JsValue>;
}

/// `target[key]`; `undefined` where `target` has no properties.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    reflect_get(target, key).unwrap_or(JsValue::UNDEFINED)
}

/// `value` as a Rust string, if it is a string. Through `TextEncoder` (bytes, as a body chunk
/// comes) rather than `JsValue::as_string`, whose glue would add wasm-bindgen's own string
/// encoder to the app's.
pub fn string(value: &JsValue) -> Option<String> {
    value.is_string().then(|| utf8(value))
}

/// A JavaScript string as a Rust one (see [`string`]).
pub fn utf8(text: &JsValue) -> String {
    let encoder = TextEncoder::new();
    let encoded = call(&encoder, "encode", text, &JsValue::UNDEFINED).unwrap_or_default();
    let bytes = bytes(&encoded);
    // SAFETY: `TextEncoder` always encodes UTF-8 (Encoding Standard: a lone surrogate becomes
    // U+FFFD), the same guarantee wasm-bindgen's own string passing relies on.
    unsafe { String::from_utf8_unchecked(bytes) }
}

/// A `Uint8Array`'s bytes, copied by the array's own `set` into a buffer the module made. A
/// `Vec<u8>` returned by an import would bring the glue's array passing, its memory views and
/// the module's `__wbindgen_malloc` (160 B gzipped); `js_sys::Uint8Array::to_vec` asserts the
/// length it copies, which links number formatting.
// Not `vec![0; n]`: its zeroed allocation is one more allocator path (43 B gzipped).
#[allow(clippy::slow_vector_initialization)]
pub fn bytes(array: &JsValue) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.resize(get_number(array, "length") as usize, 0);
    get(array, "set")
        .unchecked_into::<Function>()
        .copy_into(&mut bytes, array);
    bytes
}

/// `target[key]` as a string, if it is one.
pub fn get_string(target: &JsValue, key: &str) -> Option<String> {
    string(&get(target, key))
}

/// `target[key]` as a number; NaN where `target` has no properties.
pub fn get_number(target: &JsValue, key: &str) -> f64 {
    reflect_get_number(target, key).unwrap_or(f64::NAN)
}

/// `target[key]` is `true`, `false`, or something else (`None`).
pub fn get_bool(target: &JsValue, key: &str) -> Option<bool> {
    match get_number(target, key) {
        1.0 => Some(true),
        0.0 => Some(false),
        _ => None,
    }
}

/// `target.method(a, b)` (extra `undefined` arguments change nothing for the methods called).
pub fn call(target: &JsValue, method: &str, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    get(target, method)
        .unchecked_into::<Function>()
        .call_with(target, a, b)
}

/// `globalThis[name](a)`: the global functions the face calls seldom (`clearTimeout`,
/// `encodeURIComponent`), by name rather than as imports of their own.
pub fn call_global(name: &str, a: &JsValue) -> JsValue {
    call(&js_sys::global(), name, a, &JsValue::UNDEFINED).unwrap_or(JsValue::UNDEFINED)
}

/// `globalThis[object][method](a)`, a number (`Date.now`, `Date.parse`, `Math.random`).
pub fn number(object: &str, method: &str, a: &JsValue) -> f64 {
    let object = get(&js_sys::global(), object);
    get(&object, method)
        .unchecked_into::<Function>()
        .call_number(&object, a)
}

/// `Object()`: a new plain object (a call, not an import of its own).
pub fn object() -> Object {
    call_global("Object", &JsValue::UNDEFINED).unchecked_into()
}

/// `Date.now()`.
pub fn now() -> f64 {
    number("Date", "now", &JsValue::UNDEFINED)
}
