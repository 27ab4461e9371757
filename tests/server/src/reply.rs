//! Building responses: whole bodies and streamed ones share one body type.

use crate::body::{ChannelBody, ConnectionReset};
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Empty, Full};
use hyper::{Response, StatusCode};

pub type Reply = Response<BoxBody<Bytes, ConnectionReset>>;

pub fn full(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Reply {
    let mut reply = Response::new(
        Full::new(body.into())
            .map_err(|never| match never {})
            .boxed(),
    );
    *reply.status_mut() = status;
    if let Ok(value) = content_type.parse() {
        reply.headers_mut().insert("content-type", value);
    }
    no_store(reply)
}

pub fn empty(status: StatusCode) -> Reply {
    let mut reply = Response::new(Empty::new().map_err(|never| match never {}).boxed());
    *reply.status_mut() = status;
    no_store(reply)
}

pub fn streamed(status: StatusCode, body: ChannelBody) -> Reply {
    let mut reply = Response::new(body.boxed());
    *reply.status_mut() = status;
    no_store(reply)
}

pub fn text(status: StatusCode, message: impl Into<String>) -> Reply {
    full(status, "text/plain; charset=utf-8", message.into())
}

fn no_store(mut reply: Reply) -> Reply {
    reply.headers_mut().insert(
        "cache-control",
        hyper::header::HeaderValue::from_static("no-store"),
    );
    reply
}

/// Adds a header, ignoring names or values that are not valid HTTP.
pub fn set_header(reply: &mut Reply, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        hyper::header::HeaderName::from_bytes(name.trim().as_bytes()),
        hyper::header::HeaderValue::from_str(value.trim()),
    ) {
        reply.headers_mut().append(name, value);
    }
}
