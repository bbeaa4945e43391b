//! Path templates: `/v1/devboxes/{id}/files?Action=List#frag` taken apart. Pure functions; the
//! lowerer decides what to do with what they find (warnings, undeclared parameters).

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece<'p> {
    /// Literal text.
    Literal(&'p str),
    /// `{name}`: the wire name of a path parameter.
    Param(&'p str),
}

/// A `key=value` pair in a template's query string (as specs converted from AWS's have).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum QueryPair<'p> {
    /// `Action=List`: sent as it is on every request.
    Constant(&'p str, &'p str),
    /// `name={wire}`: a query parameter.
    Placeholder {
        /// The query key.
        key: &'p str,
        /// The name inside the braces.
        wire: &'p str,
    },
}

/// A parsed path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Template<'p> {
    /// The path without query string and fragment.
    pub(super) path: &'p str,
    /// The fragment, which HTTP never sends.
    pub(super) fragment: Option<&'p str>,
    /// The query string's pairs.
    pub(super) query: Vec<QueryPair<'p>>,
    /// The path's pieces in order.
    pub(super) pieces: Vec<Piece<'p>>,
}

/// The path of a template without its query string and fragment.
pub(super) fn bare(template: &str) -> &str {
    template.split(['#', '?']).next().unwrap_or_default()
}

/// Takes a path template apart; the error is the message for an unclosed `{`.
pub(super) fn parse(template: &str) -> Result<Template<'_>, String> {
    let (path, fragment) = template.split_once('#').map_or((template, None), |(p, f)| (p, Some(f)));
    let (path, query_string) = path.split_once('?').map_or((path, None), |(p, q)| (p, Some(q)));
    let query = query_string
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                Some(wire) => QueryPair::Placeholder { key, wire },
                None => QueryPair::Constant(key, value),
            }
        })
        .collect();
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close =
            rest[open..].find('}').map(|c| open + c).ok_or_else(|| format!("unclosed `{{` in path `{path}`"))?;
        if open > 0 {
            pieces.push(Piece::Literal(&rest[..open]));
        }
        pieces.push(Piece::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    Ok(Template { path, fragment, query, pieces })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_params() {
        let t = parse("/v1/devboxes/{id}/executions/{execution_id}").unwrap();
        assert_eq!(
            t.pieces,
            [
                Piece::Literal("/v1/devboxes/"),
                Piece::Param("id"),
                Piece::Literal("/executions/"),
                Piece::Param("execution_id"),
            ]
        );
        assert_eq!((t.path, t.fragment, t.query.len()), ("/v1/devboxes/{id}/executions/{execution_id}", None, 0));
    }

    #[test]
    fn adjacent_and_leading_params() {
        let t = parse("{a}{b}.json").unwrap();
        assert_eq!(t.pieces, [Piece::Param("a"), Piece::Param("b"), Piece::Literal(".json")]);
    }

    #[test]
    fn query_string_and_fragment() {
        let t = parse("/?Action=List&Version=2&Name={name}&flag#section").unwrap();
        assert_eq!(t.path, "/");
        assert_eq!(t.fragment, Some("section"));
        assert_eq!(
            t.query,
            [
                QueryPair::Constant("Action", "List"),
                QueryPair::Constant("Version", "2"),
                QueryPair::Placeholder { key: "Name", wire: "name" },
                QueryPair::Constant("flag", ""),
            ]
        );
        assert_eq!(t.pieces, [Piece::Literal("/")]);
    }

    #[test]
    fn unclosed_brace_is_an_error() {
        assert_eq!(parse("/a/{id").unwrap_err(), "unclosed `{` in path `/a/{id`");
        assert_eq!(parse("/a/{id?x=1").unwrap_err(), "unclosed `{` in path `/a/{id`");
    }

    #[test]
    fn bare_path() {
        assert_eq!(bare("/current?city={city}#x"), "/current");
        assert_eq!(bare("/a#b?c"), "/a");
        assert_eq!(bare("/plain/{id}"), "/plain/{id}");
    }

    #[test]
    fn empty_template() {
        assert_eq!(parse("").unwrap().pieces, []);
    }
}
