//! Static files: the demo and test pages (`www/`), the built package (`pkg/`) and npm packages the
//! benchmark pages load (`node_modules/`).

use crate::reply::{self, Reply};
use hyper::StatusCode;
use std::path::{Component, Path, PathBuf};

pub async fn serve(root: &Path, path: &str) -> Reply {
    let relative = match path {
        "/" => "www/index.html",
        _ => path.trim_start_matches('/'),
    };
    let allowed = ["www/", "pkg/", "node_modules/"]
        .iter()
        .any(|prefix| relative.starts_with(prefix));
    let Some(file) = allowed.then(|| safe_join(root, relative)).flatten() else {
        return reply::text(StatusCode::NOT_FOUND, "not found");
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => reply::full(StatusCode::OK, content_type(&file), bytes),
        Err(_) => reply::text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// `root/relative`, refusing anything that could leave `root` (`..`, absolute parts).
fn safe_join(root: &Path, relative: &str) -> Option<PathBuf> {
    let relative = Path::new(relative);
    relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
        .then(|| root.join(relative))
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "css" => "text/css; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
