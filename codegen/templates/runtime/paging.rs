//! Paged lists: how an operation's next page is asked for (`Paging`, generated per operation),
//! and `Paged`, which walks the pages one request at a time.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::path::scalar;
use super::{Error, RequestBuilder, Response};

/// How a paged list operation asks for its next page.
// A spec's paged lists use only some of the styles, and most specs have none.
#[allow(dead_code)]
pub(crate) enum PageStyle<T, I> {
    /// Query parameter `param` = a value of the last item (`starting_after` = its `id`).
    AfterLast { param: &'static str, cursor: fn(&I) -> Option<String> },
    /// Query parameter `param` = the token the page names (`page_token` = `next_page_token`).
    Token { param: &'static str, next: fn(&T) -> Option<String> },
    /// Query parameter `param` = the previous offset (0 if unset) + the items received.
    Offset { param: &'static str },
    /// Query parameter `param` = the previous page number (1 if unset) + 1.
    PageNumber { param: &'static str },
    /// The URL of the `Link: <…>; rel="next"` response header.
    Link,
}

/// How to read a page of a paged list operation: generated per operation.
pub(crate) struct Paging<T, I> {
    /// How the next page is asked for.
    pub(crate) style: PageStyle<T, I>,
    /// The page's items.
    pub(crate) items: fn(&T) -> &[I],
    /// The page's items, owned.
    pub(crate) into_items: fn(T) -> Vec<I>,
    /// The page's `has_more` (`None`: the page does not say).
    pub(crate) has_more: fn(&T) -> Option<bool>,
}

/// The value of a cursor field as sent in a query string; `None` for `null` or an empty string.
// Only for paged lists of the `AfterLast` and `Token` styles.
#[allow(dead_code)]
pub(crate) fn cursor<V: serde::Serialize + ?Sized>(value: &V) -> Option<String> {
    scalar(value).ok().flatten().filter(|s| !s.is_empty())
}

/// A stream of the pages of a paged list, each fetched when the previous one has been consumed.
pub type PageStream<T> = Pin<Box<dyn futures_core::Stream<Item = Result<T, Error>> + Send>>;

/// A paged list call. `.await` it for the first page (as a plain call would give), or walk the
/// list lazily, one request per page, with the usual retries and timeouts for each:
///
/// * [`Paged::pages`]: a stream of pages;
/// * [`Paged::items`]: a stream of the items of every page.
///
/// Walking stops at a page that is empty, that says it is the last (`has_more: false`), or that
/// names no next cursor, token or link, and at the caps set with [`Paged::max_pages`] and
/// [`Paged::max_items`]. A server that sends a cursor or link it sent before, or a page with the
/// same items as the one before (the items' `id`s, else the items; a server that ignores the
/// offset or page number does this), ends the walk with [`Error::Pagination`] instead of looping;
/// the repeated page is not yielded.
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # async fn run<T, I>(list: crate_name::Paged<T, I>) -> Result<(), crate_name::Error>
/// # where T: Send + 'static, I: Send + serde::Serialize + std::fmt::Debug + 'static {
/// use futures_util::TryStreamExt;
/// // `list` is what a paged operation returns, such as `client.devboxes().list()`.
/// let mut items = list.max_items(100).items();
/// while let Some(item) = items.try_next().await? {
///     println!("{item:?}");
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paged call does nothing until it is awaited or walked"]
pub struct Paged<T, I> {
    first: RequestBuilder<T>,
    paging: Paging<T, I>,
    max_pages: Option<u64>,
    max_items: Option<u64>,
}

impl<T, I> fmt::Debug for Paged<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged")
            .field("first", &self.first)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static, I: Send + 'static> Paged<T, I> {
    // Only specs with paged lists walk pages.
    #[allow(dead_code)]
    pub(crate) fn new(first: RequestBuilder<T>, paging: Paging<T, I>) -> Self {
        Self { first, paging, max_pages: None, max_items: None }
    }

    /// Fetches at most `pages` pages when walking.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Yields at most `items` items from [`Paged::items`] (and stops fetching pages then).
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// Overrides the timeout of each attempt, for every page.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.first = self.first.timeout(timeout);
        self
    }

    /// Overrides the number of retries, for every page.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.first = self.first.max_retries(retries);
        self
    }

    /// An overall deadline for each page's request, retries included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.first = self.first.deadline(deadline);
        self
    }

    /// Adds a header to every page's request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.first = self.first.header(name, value);
        self
    }

    /// A [`Hook`](super::Hook) run around every attempt of every page's request.
    pub fn hook(mut self, hook: impl super::Hook) -> Self {
        self.first = self.first.hook(hook);
        self
    }

    /// Sends the first page's request and returns it with status, headers and attempt count.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        self.first.with_response().await
    }
}

// Walking compares each page with the one before (a server that ignores `offset` or `page` sends
// the same page forever), which needs the items as JSON.
impl<T: Send + 'static, I: Send + serde::Serialize + 'static> Paged<T, I> {
    /// The pages, fetched lazily.
    pub fn pages(self) -> PageStream<T> {
        let pages_left = self.max_pages;
        let walk = Walk {
            next: Some(self.first),
            paging: self.paging,
            seen: Vec::new(),
            last_page: None,
            pages_left,
            failed: None,
        };
        Box::pin(futures_util::stream::unfold(walk, Walk::step))
    }

    /// The items of every page, fetched a page at a time as they are consumed.
    pub fn items(self) -> PageStream<I> {
        let items_left = self.max_items;
        let into_items = self.paging.into_items;
        let pages = self.pages();
        let state = (pages, std::collections::VecDeque::new(), items_left);
        Box::pin(futures_util::stream::unfold(state, move |(mut pages, mut buffer, left)| async move {
            use futures_util::StreamExt;
            if left == Some(0) {
                return None;
            }
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (pages, buffer, left.map(|n| n - 1))));
                }
                match pages.next().await? {
                    Ok(page) => buffer.extend(into_items(page)),
                    Err(e) => return Some((Err(e), (pages, buffer, Some(0)))),
                }
            }
        }))
    }
}

impl<T: Send + 'static, I: Send + 'static> IntoFuture for Paged<T, I> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    /// The first page.
    fn into_future(self) -> Self::IntoFuture {
        self.first.into_future()
    }
}

// A paged list's optional query and header parameters: a spec's lists have some of either, or none.
#[allow(dead_code)]
impl<T: Send + 'static, I: Send + 'static> Paged<T, I> {
    /// [`RequestBuilder::set_query_param`] on every page's request.
    pub(crate) fn set_query_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.first = self.first.set_query_param(name, value);
        self
    }

    /// [`RequestBuilder::set_header_param`] on every page's request.
    pub(crate) fn set_header_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.first = self.first.set_header_param(name, value);
        self
    }
}

/// The state of a walk through the pages.
struct Walk<T, I> {
    /// The next page's request; `None` when the walk is over.
    next: Option<RequestBuilder<T>>,
    paging: Paging<T, I>,
    /// Cursors, tokens and links already followed: one seen again would loop forever.
    seen: Vec<String>,
    /// What identifies the previous page's items ([`page_identity`]): a page identical to it
    /// means the server ignored how the next page was asked for.
    last_page: Option<u64>,
    pages_left: Option<u64>,
    /// An error found after yielding the page it came with, yielded next.
    failed: Option<Error>,
}

impl<T: Send + 'static, I: Send + serde::Serialize + 'static> Walk<T, I> {
    async fn step(mut self) -> Option<(Result<T, Error>, Self)> {
        if let Some(e) = self.failed.take() {
            self.next = None;
            return Some((Err(e), self));
        }
        if self.pages_left == Some(0) {
            return None;
        }
        let request = self.next.take()?;
        self.pages_left = self.pages_left.map(|n| n - 1);
        let template = request.try_clone();
        let operation = request.operation;
        match request.with_response().await {
            Err(e) => Some((Err(e), self)),
            Ok(response) => {
                // The same items again, whatever the page says of more: the server did not move
                // on (it ignores the offset or page number), and walking on would hand the same
                // items over until the caps. The repeated page is not yielded.
                let identity = page_identity((self.paging.items)(response.value()));
                if identity.is_some() && identity == self.last_page {
                    let items = (self.paging.items)(response.value()).len();
                    self.next = None;
                    return Some((
                        Err(Error::Pagination {
                            operation,
                            message: format!(
                                "the server sent the same {items} item(s) as on the page before; stopping instead of \
                                 looping (does it ignore the page parameter?)"
                            ),
                        }),
                        self,
                    ));
                }
                self.last_page = identity;
                match template.map(|t| self.next_request(t, &response)) {
                    Some(Ok(next)) => self.next = next,
                    Some(Err(e)) => self.failed = Some(e),
                    None => {}
                }
                Some((Ok(response.into_value()), self))
            }
        }
    }

    /// The request for the page after `response`, or `None` when it was the last.
    fn next_request(
        &mut self,
        mut next: RequestBuilder<T>,
        response: &Response<T>,
    ) -> Result<Option<RequestBuilder<T>>, Error> {
        let page = response.value();
        let items = (self.paging.items)(page);
        if items.is_empty() || (self.paging.has_more)(page) == Some(false) {
            return Ok(None);
        }
        let cursor = match &self.paging.style {
            PageStyle::AfterLast { param, cursor } => items.last().and_then(cursor).map(|c| (*param, c)),
            PageStyle::Token { param, next } => next(page).map(|t| (*param, t)),
            PageStyle::Offset { param } => {
                let offset = next.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
                next.set_query(param, (offset + items.len() as u64).to_string());
                return Ok(Some(next));
            }
            PageStyle::PageNumber { param } => {
                let number = next.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(1);
                next.set_query(param, (number + 1).to_string());
                return Ok(Some(next));
            }
            PageStyle::Link => {
                let Some(link) = next_link(response.headers()) else { return Ok(None) };
                // The message shows the link without its query, which may carry a query-string key.
                let shown = link.split('?').next().unwrap_or_default();
                self.guard(next.operation, &link, shown)?;
                next.set_link(&link)?;
                return Ok(Some(next));
            }
        };
        let Some((param, value)) = cursor else { return Ok(None) };
        self.guard(next.operation, &value, &value)?;
        next.set_query(param, value);
        Ok(Some(next))
    }

    /// Refuses a cursor, token or link followed before (named as `shown` in the error).
    fn guard(&mut self, operation: &'static str, value: &str, shown: &str) -> Result<(), Error> {
        if self.seen.iter().any(|s| s == value) {
            return Err(Error::Pagination {
                operation,
                message: format!("the server sent the cursor `{shown}` a second time; stopping instead of looping"),
            });
        }
        self.seen.push(value.to_owned());
        Ok(())
    }
}

/// What identifies a page's items, to tell a page sent twice: their `id`s where every item has
/// one, else the items themselves, as JSON, hashed. `None` for an empty page (it ends the walk).
fn page_identity<I: serde::Serialize>(items: &[I]) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if items.is_empty() {
        return None;
    }
    let values: Vec<serde_json::Value> = items.iter().filter_map(|item| serde_json::to_value(item).ok()).collect();
    let ids: Option<Vec<&serde_json::Value>> = values.iter().map(|v| v.get("id")).collect();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match ids {
        Some(ids) => serde_json::to_string(&ids).ok()?.hash(&mut hasher),
        None => serde_json::to_string(&values).ok()?.hash(&mut hasher),
    }
    Some(hasher.finish())
}

/// The `rel="next"` URL of the `Link` response headers (RFC 8288), if any.
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(mut rest) = value.to_str() else { continue };
        while let Some(start) = rest.find('<') {
            let end = start + rest[start..].find('>')?;
            let url = &rest[start + 1..end];
            let after = &rest[end + 1..];
            let params_end = after.find('<').unwrap_or(after.len());
            let is_next = after[..params_end].split(';').any(|param| {
                let param = param.trim().trim_end_matches(',').trim();
                param
                    .strip_prefix("rel=")
                    .is_some_and(|rel| rel.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
            });
            // An empty target (`<>`) would name the page just received: no next page.
            if is_next && !url.trim().is_empty() {
                return Some(url.to_owned());
            }
            rest = &after[params_end..];
        }
    }
    None
}
