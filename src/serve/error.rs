//! [`ApiError`]: every refusal of the server as a status code and a JSON body
//! `{"error": {"code", "message", "diagnostics"}}`, so that scripts and the page read one shape.

use crate::Diagnostic;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A request the server refuses, with the status and the JSON error it answers.
///
/// Bad input is the client's to fix and always gets a 4xx; only a bug in tminus answers
/// [`ApiError::internal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    diagnostics: Vec<Diagnostic>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    /// 400 `bad-json`: the body is not JSON (`{"statement": `).
    pub fn bad_json(why: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-json",
            format!("the body is not valid JSON: {why}"),
        )
    }

    /// 400 `bad-request`: JSON of the wrong shape (`{"statement": 3}`, an unknown field).
    pub fn bad_request(why: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", why.to_string())
    }

    /// 413 `body-too-large`: more than `limit` bytes.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            format!("the body is larger than {limit} bytes"),
        )
    }

    /// 408 `body-timeout`: the body did not arrive in time.
    pub fn body_timeout() -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body-timeout",
            "the request body did not arrive in time",
        )
    }

    /// 422 `invalid-statement`: the statement does not parse; its diagnostics say why.
    pub fn invalid_statement(diagnostics: Vec<Diagnostic>) -> ApiError {
        let first = diagnostics
            .first()
            .map_or_else(|| "invalid statement".to_owned(), |d| d.message.clone());
        ApiError {
            diagnostics,
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-statement", first)
        }
    }

    /// 422 `invalid-value`: a field has a value outside what it accepts (an unknown zone,
    /// a count of 0, an instant that is not ISO 8601).
    pub fn invalid_value(field: &str, why: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-value",
            format!("`{field}`: {why}"),
        )
    }

    /// 422 `too-slow`: the answer took longer than the server allows.
    pub fn too_slow(seconds: u64) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too-slow",
            format!("the answer took longer than {seconds} s; ask for fewer windows or a shorter horizon"),
        )
    }

    /// 429 `busy`: every worker is taken.
    pub fn busy() -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            "the server is busy; try again shortly",
        )
    }

    /// 404 `not-found`.
    pub fn not_found(what: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no such {what}"),
        )
    }

    /// 405 `method-not-allowed`.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "this path does not take that method (see /api/openapi.json)",
        )
    }

    /// 401 `unauthorized`: an action without the dashboard's token.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this action needs `Authorization: Bearer <token>` with the token `tminus run` printed",
        )
    }

    /// 409 `conflict`: the action cannot be done now (the scheduler has stopped).
    pub fn conflict(why: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", why.to_string())
    }

    /// 500 `internal`: a bug (a panic in the library, which never panics on any input).
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error: this is a bug in tminus, please report it with the request",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code, e.g. `invalid-statement`.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "code": self.code,
            "message": self.message,
            "diagnostics": self.diagnostics,
        }});
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = axum::http::HeaderValue::from_static("Bearer");
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_a_client_error() {
        let errors = [
            ApiError::bad_json("eof"),
            ApiError::bad_request("x"),
            ApiError::too_large(10),
            ApiError::body_timeout(),
            ApiError::invalid_statement(Vec::new()),
            ApiError::invalid_value("zone", "unknown"),
            ApiError::too_slow(5),
            ApiError::busy(),
            ApiError::not_found("path"),
            ApiError::method_not_allowed(),
            ApiError::unauthorized(),
            ApiError::conflict("stopped"),
        ];
        assert!(errors.iter().all(|e| e.status().is_client_error()));
    }

    #[test]
    fn invalid_statement_takes_the_first_message() {
        let errors = crate::Statement::parse("every 10 minuts").unwrap_err();
        let d: Vec<Diagnostic> = errors.errors().iter().map(Diagnostic::from).collect();
        let e = ApiError::invalid_statement(d);
        assert_eq!(e.code(), "invalid-statement");
        assert_eq!(e.message, "unknown unit `minuts`");
    }
}
