//! The test, benchmark and demo server of eventsource-wasm: real HTTP/1.1 on 127.0.0.1 only,
//! on two ports so tests have two origins. Prints `{"a":"http://127.0.0.1:PA","b":"…PB"}` once
//! both listen. Routes: `/sse` (scripted streams), `/log`, `/set-cookie`, `/clear-cookie`,
//! `/bench`, `/count`, `/demo/stream`, `/demo/cut`, and static files under `/www/`, `/pkg/`,
//! `/node_modules/`. See tests/server/README.md.

mod bench;
mod body;
mod count;
mod demo;
mod encoding;
mod query;
mod reply;
mod script;
mod state;
mod statics;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use query::Query;
use reply::Reply;
use state::{InFlight, Record, Shared};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

struct Args {
    root: PathBuf,
    port_a: u16,
    port_b: u16,
    exit_on_stdin_eof: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        root: PathBuf::from("."),
        port_a: 0,
        port_b: 0,
        exit_on_stdin_eof: false,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => args.root = PathBuf::from(value()?),
            "--port-a" => args.port_a = value()?.parse().map_err(|_| "bad --port-a")?,
            "--port-b" => args.port_b = value()?.parse().map_err(|_| "bad --port-b")?,
            "--exit-on-stdin-eof" => args.exit_on_stdin_eof = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("sse-test-server: {message}");
            std::process::exit(2);
        }
    };
    let bind = |port| TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    let (a, b) = match (bind(args.port_a).await, bind(args.port_b).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("sse-test-server: cannot listen: {error}");
            std::process::exit(1);
        }
    };
    let port = |listener: &TcpListener| listener.local_addr().map(|addr| addr.port()).unwrap_or(0);
    println!(
        "{{\"a\":\"http://127.0.0.1:{}\",\"b\":\"http://127.0.0.1:{}\"}}",
        port(&a),
        port(&b)
    );

    let shared = Arc::new(Shared::default());
    let root = Arc::new(args.root);
    tokio::spawn(accept(a, "a", Arc::clone(&shared), Arc::clone(&root)));
    tokio::spawn(accept(b, "b", shared, root));

    let stdin_closed = async {
        if args.exit_on_stdin_eof {
            let mut stdin = tokio::io::stdin();
            let mut buffer = [0u8; 256];
            while matches!(stdin.read(&mut buffer).await, Ok(n) if n > 0) {}
        } else {
            std::future::pending::<()>().await;
        }
    };
    let terminated = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = stdin_closed => {}
        _ = terminated => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

async fn accept(
    listener: TcpListener,
    port: &'static str,
    shared: Arc<Shared>,
    root: Arc<PathBuf>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let root = Arc::clone(&root);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = Arc::clone(&shared);
                let root = Arc::clone(&root);
                async move {
                    Ok::<_, std::convert::Infallible>(route(request, port, &shared, &root).await)
                }
            });
            // Errors here are clients going away mid-response: nothing to do.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn route(
    request: Request<Incoming>,
    port: &'static str,
    shared: &Arc<Shared>,
    root: &std::path::Path,
) -> Reply {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |target| target.as_str().to_owned());
    let headers = request.headers().clone();
    let query = match Query::parse(request.uri().query()) {
        Ok(query) => query,
        Err(message) => return reply::text(StatusCode::BAD_REQUEST, message),
    };
    // Request bodies (POST streams) are small; the scripts may echo them with `{body}`.
    let body = match http_body_util::Limited::new(request.into_body(), 1 << 20)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return reply::text(StatusCode::PAYLOAD_TOO_LARGE, "request body over 1 MiB"),
    };
    let result = match path.as_str() {
        "/sse" => script::handle(&method, &target, &headers, &body, &query, shared, port).await,
        "/log" => {
            let key = query.text("key").unwrap_or_default();
            let mut reply = reply::full(StatusCode::OK, "application/json", shared.log_json(&key));
            reply::set_header(&mut reply, "access-control-allow-origin", "*");
            Ok(reply)
        }
        "/set-cookie" | "/clear-cookie" => Ok(cookie(&path, &query, &headers)),
        "/bench" => {
            let attempt = shared.record(
                &key_of(&query),
                Record::new(&method, &target, port, &headers),
                true,
            );
            bench::stream(&query, attempt.unwrap_or(0))
        }
        "/count" => {
            let key = key_of(&query);
            shared.record(&key, Record::new(&method, &target, port, &headers), true);
            count::stream(&query, &headers, InFlight::start(shared, &key))
        }
        "/in-flight" => {
            let key = key_of(&query);
            let mut reply = reply::full(
                StatusCode::OK,
                "application/json",
                shared.in_flight_json(&key),
            );
            reply::set_header(&mut reply, "access-control-allow-origin", "*");
            Ok(reply)
        }
        "/loop" => {
            // A redirect to itself, forever: the client's redirect limit must end it.
            let key = key_of(&query);
            let record = Record::new(&method, &target, port, &headers);
            let attempt = shared.record(&key, record, true).unwrap_or(0);
            let mut reply = reply::empty(StatusCode::FOUND);
            reply::set_header(
                &mut reply,
                "location",
                &format!("/loop?key={key}&hop={attempt}"),
            );
            script::add_cors(&mut reply, "echo", &headers);
            Ok(reply)
        }
        "/demo/stream" => Ok(demo::stream(&headers, shared)),
        "/demo/cut" if method == Method::POST => Ok(demo::cut(shared)),
        _ if method == Method::GET || method == Method::HEAD => {
            Ok(statics::serve(root, &path).await)
        }
        _ => Ok(reply::text(
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed",
        )),
    };
    result.unwrap_or_else(|message| reply::text(StatusCode::BAD_REQUEST, message))
}

fn key_of(query: &Query) -> String {
    query.text("key").unwrap_or_default()
}

/// `/set-cookie?name=N&value=V` and `/clear-cookie?name=N`, with the `/sse` CORS echo.
fn cookie(path: &str, query: &Query, headers: &hyper::HeaderMap) -> Reply {
    let name = query.text("name").unwrap_or_else(|| "sid".to_owned());
    let value = query.text("value").unwrap_or_default();
    let cookie = if path == "/set-cookie" {
        format!("{name}={value}; Path=/; SameSite=Lax")
    } else {
        format!("{name}=; Path=/; SameSite=Lax; Max-Age=0")
    };
    let mut reply = reply::text(StatusCode::OK, "ok");
    reply::set_header(&mut reply, "set-cookie", &cookie);
    script::add_cors(&mut reply, "echo", headers);
    reply
}
