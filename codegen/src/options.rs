//! Options: how to generate, read by every stage (a module of its own so that no stage imports
//! the crate root).
//!
//! Must not: import any other module of the crate.

use std::collections::{BTreeMap, BTreeSet};

/// The directory of a generated crate that holds hand-written code: regeneration never writes,
/// compares or removes anything under it (`sync`), and when it holds files the crate root
/// declares it as `pub mod extra;` (its root is `src/extra/mod.rs`). Helpers built on the
/// generated resources live here: the resource structs' `client` field is `pub(crate)` for them.
pub const EXTRA_DIR: &str = "src/extra";

/// How to generate.
///
/// # Example
///
/// ```
/// use codegen::{Format, Options};
/// let options = Options {
///     crate_name: "pets".into(),
///     env_prefix: Some("PETS".into()),
///     strict: true,
///     string_formats: [Format::DateTime].into(),
///     ..Options::default()
/// };
/// assert_eq!(options.command, "cargo xtask codegen"); // set it to the command that regenerates your crate
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    /// Package and library name of the generated crate: snake_case or kebab-case, starting with
    /// a letter, not a keyword or the name of one of the generated crate's dependencies
    /// ([`Error::CrateName`](crate::Error::CrateName) otherwise).
    pub crate_name: String,
    /// Package version of a new crate; [`regenerate`](crate::regenerate) keeps (and bumps) the version the crate
    /// on disk records instead.
    pub version: String,
    /// Prefix of the environment variables the client reads; default: the crate name in SHOUTY_CASE.
    pub env_prefix: Option<String>,
    /// The command that regenerates the output, written into every file's header.
    pub command: String,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Hand-written example programs copied into the crate's `examples/` (file name such as
    /// `list_items.rs` → source), e.g. those kept beside the spec. `quickstart.rs` is generated.
    pub examples: BTreeMap<String, String>,
    /// String formats kept as `String` instead of their typed form (see [`Format`]), for
    /// servers known to send values that do not parse. Empty by default: every format is typed.
    pub string_formats: BTreeSet<Format>,
    /// Make the crate publishable (see [`Publish`]); `None` (the default) writes `publish = false`
    /// into its `Cargo.toml`, so that no `cargo publish` releases it by mistake.
    pub publish: Option<Publish>,
}

/// The package metadata of a crate that is to be published: `Cargo.toml` has no
/// `publish = false`, and the links crates.io shows. Each one left `None` is taken from the spec
/// where it says it (`homepage`: `externalDocs.url`, else `info.contact.url`), or the default
/// (`documentation`: the crate's page on docs.rs), or left out (`repository`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Publish {
    /// The repository URL.
    pub repository: Option<String>,
    /// The home page URL.
    pub homepage: Option<String>,
    /// The documentation URL.
    pub documentation: Option<String>,
}

/// A string `format` the generated crate gives a real type by default. The crate is `chrono`
/// for dates: its serde support is built in (so `Option`, `Vec` and maps of timestamps need no
/// `#[serde(with)]`, which `time` needs for RFC 3339), it writes RFC 3339 and reads it (with the
/// relaxations RFC 3339 itself allows: a space for `T`, lower case), it is what progenitor,
/// octocrab, sqlx and diesel speak, and its 0.4 line has been stable for years (`jiff` is
/// pre-1.0, and a dependency named in the public API would make its breaking releases ours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `date-time` → `chrono::DateTime<chrono::Utc>` (RFC 3339; any offset is read and
    /// converted to UTC, `Z` is written).
    DateTime,
    /// `date` → `chrono::NaiveDate` (`YYYY-MM-DD`).
    Date,
    /// `uuid` → `uuid::Uuid` (read in any of its spellings, written hyphenated lower case).
    Uuid,
}

impl Format {
    /// Every format, in order.
    pub const ALL: [Format; 3] = [Format::DateTime, Format::Date, Format::Uuid];

    /// The spelling in OpenAPI's `format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Uuid => "uuid",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            format!("unknown format `{s}`; expected one of {}", known.join(", "))
        })
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            crate_name: "api_client".into(),
            version: "0.1.0".into(),
            env_prefix: None,
            command: "cargo xtask codegen".into(),
            strict: false,
            examples: BTreeMap::new(),
            string_formats: BTreeSet::new(),
            publish: None,
        }
    }
}
