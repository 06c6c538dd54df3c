//! The JSON API under `/api/`: lint, parse, next windows, truth at an instant and explain,
//! the zone list and the OpenAPI document. Bodies are read with a size and time limit, and
//! every answer is computed on the blocking pool with a bounded number of workers and a
//! time limit, so no request can take the server down or hang.

use super::answers::{self, Search};
use super::error::ApiError;
use super::request::{self, InstantBody, NextBody, StatementBody, MAX_BODY};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The OpenAPI 3 document of this API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// How long a request body may take to arrive.
const BODY_TIME: Duration = Duration::from_secs(10);
/// How long a request may wait for a free worker before it is told the server is busy.
const QUEUE_TIME: Duration = Duration::from_secs(10);
/// How long one answer may take.
const ANSWER_TIME: Duration = Duration::from_secs(10);

/// The workers that compute answers: as many at once as the machine has cores.
#[derive(Debug)]
pub struct Workers {
    permits: Arc<Semaphore>,
}

impl Workers {
    /// One worker per core (at least two).
    pub fn new() -> Workers {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        Workers {
            permits: Arc::new(Semaphore::new(cores)),
        }
    }

    /// Runs `answer` on the blocking pool once a worker is free, within [`ANSWER_TIME`].
    async fn run<F>(&self, answer: F) -> Result<Json<Value>, ApiError>
    where
        F: FnOnce() -> Result<Value, ApiError> + Send + 'static,
    {
        let permit = tokio::time::timeout(QUEUE_TIME, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::busy())?
            .map_err(|_| ApiError::busy())?;
        // The permit goes with the work: an answer that outlives its request still holds
        // its worker, so slow answers cannot pile up beyond the worker count.
        let work = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            answer()
        });
        match tokio::time::timeout(ANSWER_TIME, work).await {
            Err(_) => Err(ApiError::too_slow(ANSWER_TIME.as_secs())),
            Ok(Err(_)) => Err(ApiError::internal()),
            Ok(Ok(answer)) => answer.map(Json),
        }
    }
}

impl Default for Workers {
    fn default() -> Workers {
        Workers::new()
    }
}

/// The routes under `/api/` (the dashboard's are added by [`super::dashboard`]).
pub fn routes() -> Router<Arc<Workers>> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/zones", get(zones))
        .route("/api/lint", endpoint(lint))
        .route("/api/parse", endpoint(parse))
        .route("/api/next", endpoint(next))
        .route("/api/truth", endpoint(truth))
        .route("/api/explain", endpoint(explain))
}

/// Reads a JSON body of type `T`: at most [`MAX_BODY`] bytes within [`BODY_TIME`].
pub async fn read_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(ApiError::too_large(MAX_BODY));
    }
    let bytes = tokio::time::timeout(BODY_TIME, axum::body::to_bytes(body, MAX_BODY))
        .await
        .map_err(|_| ApiError::body_timeout())?
        .map_err(|_| ApiError::too_large(MAX_BODY))?;
    serde_json::from_slice(&bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::bad_request(e),
        _ => ApiError::bad_json(e),
    })
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn zones() -> Json<Value> {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    Json(json!({ "zones": names }))
}

/// A `POST` endpoint: the body read as `B`, then `answer` run by a worker.
fn endpoint<B>(answer: fn(B) -> Result<Value, ApiError>) -> MethodRouter<Arc<Workers>>
where
    B: DeserializeOwned + Send + 'static,
{
    post(
        move |State(workers): State<Arc<Workers>>, headers: HeaderMap, body: Body| async move {
            let body: B = read_json(&headers, body).await?;
            workers.run(move || answer(body)).await
        },
    )
}

fn lint(body: StatementBody) -> Result<Value, ApiError> {
    let (options, _) = request::declared(&body.conds)?;
    Ok(answers::lint(&body.statement, &options))
}

fn parse(body: StatementBody) -> Result<Value, ApiError> {
    Ok(answers::parse(&request::subject(
        &body.statement,
        &body.conds,
    )?))
}

fn next(body: NextBody) -> Result<Value, ApiError> {
    let zone = request::zone(body.zone.as_deref())?;
    let after = request::instant("after", body.after.as_deref(), zone)?;
    let until = match &body.until {
        Some(t) => Some(request::instant("until", Some(t), zone)?),
        None => None,
    };
    if until.is_some_and(|u| u <= after) {
        return Err(ApiError::invalid_value(
            "until",
            "must be later than `after`",
        ));
    }
    let search = Search {
        zone,
        after,
        count: request::count(body.count)?,
        until,
        horizon: request::horizon(body.horizon_days, request::MAX_HORIZON_DAYS)?,
    };
    let subject = request::subject(&body.statement, &body.conds)?;
    Ok(answers::next(&subject, &search))
}

fn truth(body: InstantBody) -> Result<Value, ApiError> {
    if body.horizon_days.is_some() {
        return Err(ApiError::bad_request("only `explain` takes a horizon"));
    }
    let zone = request::zone(body.zone.as_deref())?;
    let at = request::instant("at", body.at.as_deref(), zone)?;
    let subject = request::subject(&body.statement, &body.conds)?;
    Ok(answers::truth(&subject, zone, at))
}

fn explain(body: InstantBody) -> Result<Value, ApiError> {
    let zone = request::zone(body.zone.as_deref())?;
    let at = request::instant("at", body.at.as_deref(), zone)?;
    let horizon = request::horizon(body.horizon_days, 400)?;
    let subject = request::subject(&body.statement, &body.conds)?;
    Ok(answers::explanation(&subject, zone, at, horizon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_is_json_and_names_every_route() {
        let doc: Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/lint",
            "/api/parse",
            "/api/next",
            "/api/truth",
            "/api/explain",
        ] {
            assert!(doc["paths"][path]["post"].is_object(), "{path}");
        }
        for path in ["/api/zones", "/api/openapi.json"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path}");
        }
    }
}
