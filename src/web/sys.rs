//! The few JavaScript bindings web-sys has no scope-neutral form of.
//!
//! `setTimeout`, `clearTimeout` and `fetch` are called as globals, so the same code works in a
//! window and in dedicated, shared and service workers (web-sys puts them on `Window` and
//! `WorkerGlobalScope` separately). `document` and `location` are read off `globalThis`, where a
//! worker simply has no `document` (js_sys::global() would bring a four-way lookup).

use alloc::string::String;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::RequestInit;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &Closure<dyn FnMut()>, milliseconds: u32) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    // `catch`: where there is no `fetch` at all, the request fails instead of trapping.
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;

    /// `globalThis.document`: `None` in a worker.
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = document)]
    pub static DOCUMENT: Option<Document>;

    /// `globalThis.location`: the window's or the worker's.
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = location)]
    pub static LOCATION: Option<Location>;

    pub type Document;
    #[wasm_bindgen(method, getter, js_name = baseURI)]
    pub fn base_uri(this: &Document) -> String;

    /// `Location` or `WorkerLocation`.
    pub type Location;
    #[wasm_bindgen(method, getter)]
    pub fn href(this: &Location) -> String;

    /// `globalThis.navigator`: `None` where there is none.
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = navigator)]
    pub static NAVIGATOR: Option<Navigator>;

    pub type Navigator;
    /// `false` only when the runtime knows it is offline.
    #[wasm_bindgen(method, getter, js_name = onLine)]
    pub fn on_line(this: &Navigator) -> Option<bool>;

    // The global object's listeners, called as globals (a window's or a worker's).
    #[wasm_bindgen(js_name = addEventListener)]
    pub fn add_global_listener(kind: &str, listener: &Closure<dyn FnMut(LifecycleEvent)>);
    #[wasm_bindgen(js_name = removeEventListener)]
    pub fn remove_global_listener(kind: &str, listener: &Closure<dyn FnMut(LifecycleEvent)>);

    #[wasm_bindgen(method, js_name = addEventListener)]
    pub fn add_listener(this: &Document, kind: &str, listener: &Closure<dyn FnMut(LifecycleEvent)>);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    pub fn remove_listener(
        this: &Document,
        kind: &str,
        listener: &Closure<dyn FnMut(LifecycleEvent)>,
    );
    #[wasm_bindgen(method, getter)]
    pub fn hidden(this: &Document) -> bool;

    /// A page lifecycle signal: `online`, `pageshow`, `visibilitychange`, `resume`.
    pub type LifecycleEvent;
    #[wasm_bindgen(method, getter)]
    pub fn persisted(this: &LifecycleEvent) -> Option<bool>;
    #[wasm_bindgen(method, getter, js_name = type)]
    pub fn kind(this: &LifecycleEvent) -> String;

    /// What a `ReadableStreamDefaultReader`'s `read()` resolves to.
    pub type ReadResult;
    #[wasm_bindgen(method, getter)]
    pub fn done(this: &ReadResult) -> bool;
    #[wasm_bindgen(method, getter)]
    pub fn value(this: &ReadResult) -> Uint8Array;
}
