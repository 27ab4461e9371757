//! A minimal wasm-bindgen app on `eventsource_wasm::web`: it shows the demo stream of the test
//! server, one line per event, and closes the source after 20 messages.
//!
//! Build and serve it (from the repository root):
//!
//! ```sh
//! cargo build --release --example web_app --target wasm32-unknown-unknown --features web
//! wasm-bindgen --target web --out-dir www/gen/web_app \
//!     target/wasm32-unknown-unknown/release/examples/web_app.wasm
//! cp examples/web_app/index.html www/gen/web_app/
//! cargo run --profile server -p sse-test-server -- --root .
//! # then open http://127.0.0.1:<port a>/www/gen/web_app/index.html
//! ```
#![cfg(target_arch = "wasm32")]

use eventsource_wasm::web::{Event, EventSource, ReadyState};
use wasm_bindgen::prelude::*;

/// Appends a line to the page's `<pre id="log">`.
fn show(line: &str) {
    let Some(log) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("log"))
    else {
        return;
    };
    let text = log.text_content().unwrap_or_default();
    log.set_text_content(Some(&format!("{text}{line}\n")));
}

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let mut source = EventSource::builder("/demo/stream")
        .heartbeat_timeout(std::time::Duration::from_secs(10))
        .reconnect_on_error(true)
        .build()
        .map_err(|error| JsValue::from_str(&error.to_string()))?;
    show(&format!("connecting to {}", source.url()));
    wasm_bindgen_futures::spawn_local(async move {
        let mut messages = 0;
        while let Some(event) = source.next().await {
            match event {
                Event::Open => show("open"),
                Event::Message(message) => {
                    show(&format!(
                        "{} #{}: {}",
                        message.event_type, message.last_event_id, message.data
                    ));
                    messages += 1;
                    if messages == 20 {
                        source.close();
                    }
                }
                Event::Error(error) if error.ready_state == ReadyState::Closed => {
                    show(&format!(
                        "failed: {:?} (status {:?})",
                        error.reason, error.status
                    ));
                }
                Event::Error(error) => show(&format!("reconnecting: {:?}", error.reason)),
            }
        }
        show("closed");
    });
    Ok(())
}
