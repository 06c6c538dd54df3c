//! The dashboard's token: what a request must show (`Authorization: Bearer <token>`) to run,
//! disable or enable a task. Printed by `tminus run --ui` at start, or taken from
//! `TMINUS_UI_TOKEN`.

use axum::http::{header, HeaderMap};

/// A secret that allows the dashboard's actions.
#[derive(Clone)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// A token given by the user: at least 8 visible ASCII characters (no spaces), as
    /// they must fit in a header.
    ///
    /// ```
    /// assert!(tminus::serve::Token::new("correct horse").is_err());
    /// assert!(tminus::serve::Token::new("correct-horse").is_ok());
    /// ```
    pub fn new(text: &str) -> Result<Token, String> {
        if text.len() < 8 || !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("a token needs at least 8 visible ASCII characters and no spaces".into());
        }
        Ok(Token(text.to_owned()))
    }

    /// A fresh random token: 128 bits from the system's random source, as 32 hex digits.
    pub fn generate() -> Token {
        let mut bytes = [0u8; 16];
        if !read_urandom(&mut bytes) {
            // No /dev/urandom: std's hasher keys are seeded from the system's random source.
            use std::hash::{BuildHasher, Hasher};
            for (i, chunk) in bytes.chunks_mut(8).enumerate() {
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_usize(i);
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
                h.write_u128(now.map_or(0, |d| d.as_nanos()));
                chunk.copy_from_slice(&h.finish().to_le_bytes());
            }
        }
        Token(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `headers` carry `Authorization: Bearer <this token>` (compared in time
    /// independent of where they differ).
    pub fn accepts(&self, headers: &HeaderMap) -> bool {
        let Some(given) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return false;
        };
        let (a, b) = (given.trim().as_bytes(), self.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }
}

fn read_urandom(bytes: &mut [u8]) -> bool {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(bytes))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn only_the_bearer_token_is_accepted() {
        let t = Token::new("s3cret-token").unwrap();
        assert!(t.accepts(&headers("Bearer s3cret-token")));
        assert!(!t.accepts(&headers("Bearer s3cret-tokem")));
        assert!(!t.accepts(&headers("Bearer s3cret")));
        assert!(!t.accepts(&headers("Basic s3cret-token")));
        assert!(!t.accepts(&HeaderMap::new()));
    }

    #[test]
    fn generated_tokens_differ() {
        let (a, b) = (Token::generate(), Token::generate());
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a.as_str(), b.as_str());
        assert!(Token::new(a.as_str()).is_ok());
    }
}
