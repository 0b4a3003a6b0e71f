//! Webhook mode: Telegram calls `POST /telegram/webhook` on Muster's web
//! server with one update at a time. A call without the configured secret
//! (`X-Telegram-Bot-Api-Secret-Token`, compared in constant time) is 401
//! before its body is read; an update is answered before the call returns
//! 200, and a call the database cannot answer gets 500, so Telegram sends
//! it again (the engine answers each update once). Only the process that
//! holds the bot's lease answers; the others say 503 and Telegram retries.

use crate::Receiver;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use muster_secret::Secret;
use std::sync::{Arc, RwLock};
use subtle::ConstantTimeEq;

/// The header Telegram puts the webhook's secret in.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// The webhook's side in the web server: the secret, and the bot answering
/// while this process holds its lease.
pub struct Webhook {
    secret: Secret,
    current: RwLock<Option<Arc<Receiver>>>,
}

impl Webhook {
    pub fn new(secret: Secret) -> Arc<Self> {
        Arc::new(Webhook {
            secret,
            current: RwLock::new(None),
        })
    }

    pub fn fill(&self, receiver: Arc<Receiver>) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(receiver);
    }

    pub fn empty(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn receiver(&self) -> Option<Arc<Receiver>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The route to mount on the web server.
    pub fn routes(self: &Arc<Self>) -> Router {
        Router::new()
            .route(crate::WEBHOOK_PATH, post(call))
            .with_state(self.clone())
    }
}

/// Whether the header carries the secret; the comparison takes as long
/// whatever the guess, so the secret cannot be found a byte at a time.
fn authorised(headers: &HeaderMap, secret: &Secret) -> bool {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    given.ct_eq(secret.expose().as_bytes()).into()
}

/// A Telegram update is a few kilobytes.
const BODY_LIMIT: usize = 256 * 1024;

async fn call(State(hook): State<Arc<Webhook>>, request: Request) -> StatusCode {
    if !authorised(request.headers(), &hook.secret) {
        return StatusCode::UNAUTHORIZED;
    }
    let Some(receiver) = hook.receiver() else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let body = match axum::body::to_bytes(request.into_body(), BODY_LIMIT).await {
        Ok(body) => body,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE,
    };
    let update: teloxide::types::Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(_) => return StatusCode::BAD_REQUEST,
    };
    match receiver.answer(&update).await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            tracing::warn!(error = %e, update = update.id.0, "cannot answer a Telegram webhook call; Telegram will send it again");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_secret_is_authorised() {
        let secret = Secret::new("s3cret-webhook_token");
        let mut headers = HeaderMap::new();
        assert!(!authorised(&headers, &secret));
        headers.insert(SECRET_HEADER, "s3cret-webhook_toke".parse().unwrap());
        assert!(!authorised(&headers, &secret));
        headers.insert(SECRET_HEADER, "s3cret-webhook_tokenX".parse().unwrap());
        assert!(!authorised(&headers, &secret));
        headers.insert(SECRET_HEADER, "s3cret-webhook_token".parse().unwrap());
        assert!(authorised(&headers, &secret));
    }
}
