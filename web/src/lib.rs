//! Muster's HTTP server, started by `muster run` when `[web] listen` is
//! set: `/healthz` for operators, and the endpoints platforms call (the
//! Telegram webhook), which their adapters hand in as routes. Every request
//! has a time limit and a body limit; unknown addresses are 404, wrong
//! methods 405, and nothing a client sends makes it answer 500 but a
//! database that cannot be read.

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use muster_core::domain::Platform;
use muster_core::engine::Engine;
use muster_core::outbox::Messenger;
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

/// Longest a request may take; a slower one is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Largest body accepted: a Telegram update is a few kilobytes.
const BODY_LIMIT: usize = 1024 * 1024;

/// What the health check looks at.
#[derive(Clone)]
pub struct Health {
    pub engine: Arc<Engine>,
    /// Each platform bot's outgoing connection: ready while this process
    /// holds the bot's lease.
    pub bots: Vec<(Platform, Arc<dyn Messenger>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the web server stopped: {0}")]
    Serve(std::io::Error),
}

/// The whole application: health, the platforms' routes, and 404 for the rest.
pub fn router(health: Health, platforms: Vec<Router>) -> Router {
    let mut app = Router::new()
        .route("/healthz", get(healthz))
        .with_state(health);
    for routes in platforms {
        app = app.merge(routes);
    }
    app.fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
}

/// Serves `app` on `addr` until `shutdown` completes, then finishes the
/// requests under way.
pub async fn serve(
    addr: SocketAddr,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), WebError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Listen { addr, source })?;
    tracing::info!(%addr, "web server listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(WebError::Serve)
}

/// 200 when the database answers, 503 when it does not; each bot is
/// "connected" or "waiting for its lease" (another process drives it).
async fn healthz(State(health): State<Health>) -> Response {
    let storage = match health.engine.cursor("healthz").await {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    };
    let bots: serde_json::Map<String, serde_json::Value> = health
        .bots
        .iter()
        .map(|(platform, messenger)| {
            let state = if messenger.ready() {
                "connected"
            } else {
                "waiting for its lease"
            };
            (platform.to_string(), json!(state))
        })
        .collect();
    let (status, storage) = match storage {
        Ok(()) => (StatusCode::OK, json!("ok")),
        Err(e) => {
            tracing::warn!(error = %e, "health check: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, json!("unreachable"))
        }
    };
    (status, Json(json!({ "storage": storage, "bots": bots }))).into_response()
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": "no such address" })),
    )
        .into_response()
}
