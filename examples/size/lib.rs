//! Logs every message of `/sse` (base: logs once). See Cargo.toml.
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

fn log(text: &str) {
    web_sys::console::log_1(&JsValue::from_str(text));
}

#[cfg(not(any(feature = "ours", feature = "gloo")))]
#[wasm_bindgen(start)]
pub fn start() {
    spawn_local(async { log("ready") });
}

#[cfg(feature = "ours")]
#[wasm_bindgen(start)]
pub fn start() {
    use eventsource_wasm::web::{Event, EventSource};
    let Ok(mut source) = EventSource::new("/sse") else {
        return;
    };
    spawn_local(async move {
        while let Some(event) = source.next().await {
            if let Event::Message(message) = event {
                log(&message.data);
            }
        }
    });
}

#[cfg(feature = "gloo")]
#[wasm_bindgen(start)]
pub fn start() {
    use futures_util::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new("/sse") else {
        return;
    };
    let Ok(mut messages) = source.subscribe("message") else {
        return;
    };
    spawn_local(async move {
        while let Some(Ok((_, message))) = messages.next().await {
            if let Some(data) = message.data().as_string() {
                log(&data);
            }
        }
        source.close();
    });
}
