//! The HTTP side: `/bot<token>/<method>` on 127.0.0.1, each request recorded,
//! scripted faults applied, then the method run and its answer enveloped.
//!
//! Connections are served with hyper directly rather than `axum::serve` so
//! that a fault can drop one TCP connection without any HTTP response: each
//! connection's task races hyper against a kill switch that the request
//! handler can pull, and dropping hyper's connection closes the socket.

use super::Shared;
use super::error::{ApiError, ok_envelope, reason_phrase};
use super::faults::{Fault, FaultKind};
use super::methods;
use super::model::Outcome;
use super::params::{ChatRef, Params};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

/// Stops the server when the last handle is dropped.
pub(crate) struct ServerGuard {
    shutdown: watch::Sender<bool>,
    accept_task: JoinHandle<()>,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        self.accept_task.abort();
    }
}

/// The kill switch of the connection a request came on.
#[derive(Clone)]
struct Connection {
    kill: Arc<Notify>,
}

pub(crate) async fn bind(shared: Arc<Shared>) -> std::io::Result<(SocketAddr, ServerGuard)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = Router::new().fallback(handle).with_state(shared);
    let (shutdown, stopped) = watch::channel(false);
    let accept_task = tokio::spawn(accept_loop(listener, router, stopped));
    Ok((
        addr,
        ServerGuard {
            shutdown,
            accept_task,
        },
    ))
}

async fn accept_loop(listener: TcpListener, router: Router, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                // A failed accept (the client gave up) concerns that client only.
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(serve_connection(stream, router.clone(), stopped.clone()));
                }
            }
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router, mut stopped: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let connection = Connection {
        kill: Arc::new(Notify::new()),
    };
    let kill = connection.kill.clone();
    let tower = TowerToHyperService::new(router);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(connection.clone());
        hyper::service::Service::call(&tower, request)
    });
    let serving =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    // Whichever comes first; on a kill or shutdown `serving` is dropped with
    // the socket in it, so the client sees the connection close mid-request.
    tokio::select! {
        _ = serving => {}
        _ = kill.notified() => {}
        _ = stopped.changed() => {}
    }
}

/// `/bot<token>/<method>` → (token, method).
fn split_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/bot")?;
    let (token, method) = rest.split_once('/')?;
    (!token.is_empty() && !method.is_empty() && !method.contains('/')).then_some((token, method))
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Extension(connection): Extension<Connection>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    let Some((token, method)) = split_path(uri.path()) else {
        return json_response(&Err(ApiError::not_found()));
    };
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let params = match content_type {
        Some(mime) if mime.to_ascii_lowercase().starts_with("multipart/form-data") => {
            multipart_params(mime, body, uri.query()).await
        }
        _ => Params::parse(content_type, uri.query(), &body),
    };
    let method_key = method.to_ascii_lowercase();
    let (seq, authorized, fault) = shared.write(|state| {
        let chat_id = params
            .as_ref()
            .ok()
            .and_then(Params::chat_ref)
            .and_then(|chat| match chat {
                ChatRef::Id(id) => Some(id),
                username => state.resolve(&username).ok(),
            });
        let seq = state.record(method, chat_id, arrived);
        let authorized = token == state.token;
        let fault = authorized
            .then(|| state.faults.take(&method_key, chat_id))
            .flatten();
        (seq, authorized, fault)
    });
    if !authorized {
        return finish(&shared, seq, Err(ApiError::unauthorized()));
    }
    if let Some(fault) = fault.as_ref().filter(|fault| !fault.after_processing) {
        return serve_fault(&shared, seq, fault, &connection).await;
    }
    let result = match params {
        Ok(params) => methods::call(&shared, &method_key, params).await,
        Err(error) => Err(error),
    };
    match fault {
        Some(fault) => serve_fault(&shared, seq, &fault, &connection).await,
        None => finish(&shared, seq, result),
    }
}

/// Records the outcome and envelopes it.
fn finish(shared: &Shared, seq: usize, result: Result<serde_json::Value, ApiError>) -> Response {
    let outcome = match &result {
        Ok(_) => Outcome::Ok,
        Err(error) => Outcome::Error {
            code: error.code,
            description: error.description.clone(),
            retry_after: error.retry_after(),
        },
    };
    shared.write(|state| state.finish(seq, outcome));
    json_response(&result)
}

fn json_response(result: &Result<serde_json::Value, ApiError>) -> Response {
    let (status, body) = match result {
        Ok(value) => (StatusCode::OK, ok_envelope(value.clone())),
        Err(error) => (
            StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST),
            error.envelope(),
        ),
    };
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn serve_fault(
    shared: &Shared,
    seq: usize,
    fault: &Fault,
    connection: &Connection,
) -> Response {
    match fault.kind {
        FaultKind::ServerError {
            status,
            html: false,
        } => finish(shared, seq, Err(ApiError::server_error(status))),
        FaultKind::ServerError { status, html: true } => {
            let error = ApiError::server_error(status);
            shared.write(|state| {
                state.finish(
                    seq,
                    Outcome::Error {
                        code: status,
                        description: error.description.clone(),
                        retry_after: None,
                    },
                )
            });
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let title = format!("{status} {}", reason_phrase(status));
            let page = format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
                 <hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
            );
            (code, [(CONTENT_TYPE, "text/html")], page).into_response()
        }
        FaultKind::TooManyRequests { retry_after } => {
            finish(shared, seq, Err(ApiError::too_many_requests(retry_after)))
        }
        FaultKind::Hang => {
            shared.write(|state| state.finish(seq, Outcome::Hung));
            std::future::pending().await
        }
        FaultKind::DropConnection => {
            shared.write(|state| state.finish(seq, Outcome::Dropped));
            connection.kill.notify_one();
            // The connection task drops this future along with the socket.
            std::future::pending().await
        }
    }
}

/// A multipart form's text fields, as a urlencoded form would carry them
/// (the fake keeps no files, so a file part is refused).
async fn multipart_params(
    content_type: &str,
    body: Bytes,
    query: Option<&str>,
) -> Result<Params, ApiError> {
    let bad = |what: &str| ApiError::bad_request(format!("can't parse multipart form: {what}"));
    let boundary = multer::parse_boundary(content_type).map_err(|e| bad(&e.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|e| bad(&e.to_string()))? {
        if field.file_name().is_some() {
            return Err(ApiError::bad_request(
                "file uploads are not supported by the fake",
            ));
        }
        let name = field.name().unwrap_or_default().to_string();
        let text = field.text().await.map_err(|e| bad(&e.to_string()))?;
        fields.push((name, text));
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    Params::parse(
        Some("application/x-www-form-urlencoded"),
        query,
        encoded.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::split_path;

    #[test]
    fn paths_name_a_token_and_a_method() {
        assert_eq!(split_path("/bot12:AB-c/GetMe"), Some(("12:AB-c", "GetMe")));
        assert_eq!(split_path("/bot12:AB/"), None);
        assert_eq!(split_path("/bot12:AB/a/b"), None);
        assert_eq!(split_path("/file/bot12:AB/x"), None);
    }
}
