//! The command line: one clap-derive struct of flags per command, and the subcommand enum that
//! holds them. Commands take their struct (`commands::codegen::run(&CodegenFlags { generate:
//! GenerateFlags { check: true, ..Default::default() }, ..Default::default() })`), so a call names
//! every flag it sets; `Default` is what an empty
//! command line gives, clap's `default_value_t`s included.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
pub use openapi_client_gen::GenerateFlags;

#[derive(Parser, Debug)]
#[command(about = "Project automation for the OpenAPI → Rust generator")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `cargo xtask`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Regenerate a client crate from a spec (default: the Runloop client).
    Codegen(CodegenFlags),
    /// Install test tools (Prism) and run everything CI runs.
    Test,
    /// Run the generator over the APIs.guru directory and GitHub's spec, and report.
    Corpus(CorpusFlags),
    /// Benchmark codegen per phase on Runloop, GitHub and Microsoft Graph; peak memory; the
    /// generated GitHub crate's size and `cargo check` time. Run in release mode:
    /// `cargo run --release -p xtask -- bench`.
    Bench(BenchFlags),
    /// Mutation-fuzz the generator for longer than CI does (release build).
    Fuzz(FuzzFlags),
    /// Decode each spec's own examples with the types generated from it (the CI corpus subset
    /// plus GitHub's, or the `--spec` files), and report.
    Examples(ExamplesFlags),
    /// Check the change report's verdicts against `cargo semver-checks` on pairs of specs.
    SemverOracle(OracleFlags),
}

/// Flags of `cargo xtask codegen`: where from and where to, then the flags of the
/// `openapi-client-gen` binary's `generate` (shared, so both take and print the same).
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct CodegenFlags {
    /// The spec (YAML or JSON). Default: spec/runloop.yaml.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The crate directory to write. Default: generated-client/.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The flags shared with `openapi-client-gen generate` (`--name` defaults to runloop for the
    /// Runloop client, which is always `--strict`).
    #[command(flatten)]
    pub generate: GenerateFlags,
}

/// Flags of `cargo xtask corpus`.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct CorpusFlags {
    /// Only the ~20 coverage specs CI runs (plus GitHub's), and fail on any failure (with
    /// `--compile`, those are the crates checked).
    #[arg(long)]
    pub ci: bool,
    /// Also `cargo check` crates generated from a seeded sample plus GitHub's, warnings denied.
    #[arg(long)]
    pub compile: bool,
    /// Size of the compile sample.
    #[arg(long, default_value_t = 100)]
    pub sample: usize,
    /// Seed of the compile sample.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
}

/// Flags of `cargo xtask examples`.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct ExamplesFlags {
    /// A spec to run instead of the corpus ones (repeatable).
    #[arg(long, value_name = "PATH")]
    pub spec: Vec<PathBuf>,
}

/// Flags of `cargo xtask bench`.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct BenchFlags {
    /// Runs per spec (the minimum is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Internal: generate this spec once and print the peak RSS (used in a child process).
    #[arg(long, hide = true)]
    pub rss_of: Option<PathBuf>,
    /// Skip compiling the generated GitHub crate (full check, resource features alone, debug build).
    #[arg(long)]
    pub no_check: bool,
    /// Only compile the generated GitHub crate (skip the generator's phases).
    #[arg(long, conflicts_with = "no_check")]
    pub crate_only: bool,
    /// Skip the peer generator (openapi-to-rust, installed into `.tools/` on first use), which
    /// otherwise runs beside ours on Runloop, GitHub and OpenAI: generation, lines, `cargo check`
    /// time and peak (its GitHub crate needs 12 GB and four minutes to check).
    #[arg(long, conflicts_with = "crate_only")]
    pub no_peer: bool,
    /// Also time every corpus spec and the streaming phases at several body sizes, save what was
    /// measured in `benchmarks/data/`, and draw the charts `benchmarks/*.svg` (each from its
    /// latest data, so parts skipped now keep their last chart).
    #[arg(long)]
    pub plot: bool,
    /// Only draw the charts again from `benchmarks/data/`, measuring nothing.
    #[arg(long, conflicts_with_all = ["plot", "crate_only"])]
    pub redraw: bool,
}

/// Flags of `cargo xtask fuzz`.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct FuzzFlags {
    /// How long to run.
    #[arg(long, default_value_t = 300)]
    pub seconds: u64,
    /// The random seed (a failure prints the seed that reproduces it).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Flags of `cargo xtask semver-oracle`.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct OracleFlags {
    /// The directory of spec pairs `NAME.old.EXT` and `NAME.new.EXT`.
    pub dir: PathBuf,
    /// Only the pairs whose name contains this.
    #[arg(long)]
    pub only: Option<String>,
    /// Reuse each pair's saved `cargo semver-checks` output instead of running it again.
    #[arg(long)]
    pub reuse: bool,
}

/// The flags an empty command line gives: one source for defaults, the `default_value_t`s above.
fn parsed_defaults<T: Args + clap::FromArgMatches>() -> T {
    let command = T::augment_args(clap::Command::new("defaults"));
    let matches = command.try_get_matches_from(["defaults"]).expect("every flag is optional");
    T::from_arg_matches(&matches).expect("the defaults are valid")
}

impl Default for CorpusFlags {
    fn default() -> Self {
        parsed_defaults()
    }
}

impl Default for BenchFlags {
    fn default() -> Self {
        parsed_defaults()
    }
}

impl Default for FuzzFlags {
    fn default() -> Self {
        parsed_defaults()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied())).unwrap().command
    }

    #[test]
    fn the_command_line_is_well_formed() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }

    #[test]
    fn defaults_are_what_an_empty_command_line_gives() {
        let corpus = CorpusFlags { ci: false, compile: false, sample: 100, seed: 2026, threads: 2 };
        assert_eq!(CorpusFlags::default(), corpus);
        assert!(matches!(parse(&["corpus"]), Command::Corpus(f) if f == corpus));
        let bench = BenchFlags {
            runs: 5,
            rss_of: None,
            no_check: false,
            crate_only: false,
            no_peer: false,
            plot: false,
            redraw: false,
        };
        assert_eq!(BenchFlags::default(), bench);
        assert!(matches!(parse(&["bench"]), Command::Bench(f) if f == bench));
        let fuzz = FuzzFlags { seconds: 300, seed: None };
        assert_eq!(FuzzFlags::default(), fuzz);
        assert!(matches!(parse(&["fuzz"]), Command::Fuzz(f) if f == fuzz));
        assert!(matches!(parse(&["codegen"]), Command::Codegen(f) if f == CodegenFlags::default()));
        assert!(matches!(parse(&["test"]), Command::Test));
        assert!(matches!(parse(&["examples"]), Command::Examples(f) if f == ExamplesFlags::default()));
    }

    #[test]
    fn every_flag_keeps_its_name() {
        let codegen = parse(&[
            "codegen",
            "--check",
            "--spec",
            "a.yaml",
            "--out",
            "d",
            "--name",
            "n",
            "--env-prefix",
            "MY_API",
            "--strict",
            "--report",
            "r.md",
            "--no-bump",
            "--string-formats",
            "date-time,uuid",
            "--publish",
            "--repository",
            "https://example.com/r",
            "--documentation",
            "https://example.com/d",
        ]);
        let expected = CodegenFlags {
            spec: Some("a.yaml".into()),
            out: Some("d".into()),
            generate: GenerateFlags {
                check: true,
                name: Some("n".into()),
                env_prefix: Some("MY_API".into()),
                strict: true,
                report: Some("r.md".into()),
                no_bump: true,
                string_formats: vec!["date-time".into(), "uuid".into()],
                publish: true,
                repository: Some("https://example.com/r".into()),
                homepage: None,
                documentation: Some("https://example.com/d".into()),
            },
        };
        assert!(matches!(codegen, Command::Codegen(f) if f == expected));
        let corpus = parse(&["corpus", "--ci", "--compile", "--sample", "3", "--seed", "4", "--threads", "5"]);
        let expected = CorpusFlags { ci: true, compile: true, sample: 3, seed: 4, threads: 5 };
        assert!(matches!(corpus, Command::Corpus(f) if f == expected));
        let bench = parse(&["bench", "--runs", "2", "--rss-of", "s.json", "--no-check", "--no-peer"]);
        let expected = BenchFlags {
            runs: 2,
            rss_of: Some("s.json".into()),
            no_check: true,
            crate_only: false,
            no_peer: true,
            plot: false,
            redraw: false,
        };
        assert!(matches!(bench, Command::Bench(f) if f == expected));
        assert!(matches!(parse(&["bench", "--redraw"]), Command::Bench(f) if f.redraw && !f.plot));
        let oracle = parse(&["semver-oracle", "pairs", "--only", "github", "--reuse"]);
        let expected = OracleFlags { dir: "pairs".into(), only: Some("github".into()), reuse: true };
        assert!(matches!(oracle, Command::SemverOracle(f) if f == expected));
        let examples = parse(&["examples", "--spec", "a.yaml", "--spec", "b.json"]);
        let expected = ExamplesFlags { spec: vec!["a.yaml".into(), "b.json".into()] };
        assert!(matches!(examples, Command::Examples(f) if f == expected));
        let fuzz = parse(&["fuzz", "--seconds", "7", "--seed", "8"]);
        assert!(matches!(fuzz, Command::Fuzz(f) if f == FuzzFlags { seconds: 7, seed: Some(8) }));
    }

    #[test]
    fn links_need_publish() {
        assert!(Cli::try_parse_from(["xtask", "codegen", "--repository", "https://example.com"]).is_err());
    }

    #[test]
    fn string_formats_are_checked_when_parsed() {
        assert!(Cli::try_parse_from(["xtask", "codegen", "--string-formats", "email"]).is_err());
        let all = parse(&["codegen", "--string-formats", "all"]);
        assert!(matches!(all, Command::Codegen(f) if f.generate.string_formats == ["all"]));
    }
}
