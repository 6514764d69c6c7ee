//! URLs in the topology file: what makes one unfit to print.

/// Said instead of the URL, which is not printed: it may carry a password.
pub const USERINFO_REFUSED: &str = "the URL carries credentials (user:password@host), which would be \
printed in logs and errors: remove them (AWS credentials come from the AWS default chain; other \
secrets from variables named by `*_env` keys)";

/// Said instead of a URL with a query string, which is not printed: it may carry a token.
pub const QUERY_REFUSED: &str = "an endpoint URL takes no query string or fragment (`?...`, `#...`), \
which would be printed in logs and errors and may carry a token: use the bare scheme://host[:port]";

/// `scheme://user[:password]@host...`: an `@` in the authority part.
pub fn url_has_userinfo(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.contains('@')
}
