//! `cargo xtask`: parse the command line and run the command.
//!
//! * `cargo xtask codegen` regenerates `generated-client/` from `spec/runloop.yaml`;
//! * `cargo xtask codegen --check` writes nothing and fails with a diff when it is stale;
//! * `cargo xtask codegen --spec PATH --out DIR [--name CRATE]` generates a crate for any spec;
//! * `cargo xtask test` installs what the tests need (Prism) and runs every check CI runs;
//! * `cargo xtask corpus`, `bench` and `fuzz` run the generator on real-world specs, time it, and
//!   fuzz it;
//! * `cargo xtask examples` decodes the specs' own examples with the generated types;
//! * `cargo xtask semver-oracle DIR` checks the change report against `cargo semver-checks`.
//!
//! The flags are in `xtask::flags`, the commands in `xtask::commands`.

use clap::Parser;
use xtask::commands;
use xtask::flags::{Cli, Command};

/// mimalloc instead of the system allocator: generation builds and drops millions of small
/// token and syntax-tree nodes, and glibc's `malloc`/`free` were a third of its instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let command = Cli::parse().command;
    // The workspace is found from the current directory (`xtask::find_root`); outside it, say so
    // before starting. Only `codegen --spec S --out D` needs no workspace.
    let standalone = matches!(&command, Command::Codegen(f) if f.spec.is_some() && f.out.is_some());
    if !standalone {
        xtask::find_root()?;
    }
    match command {
        Command::Codegen(flags) => commands::codegen::run(&flags),
        Command::Test => commands::test::run(),
        Command::Corpus(flags) => commands::corpus::run(&flags),
        Command::Bench(flags) => commands::bench::run(&flags),
        Command::Fuzz(flags) => commands::fuzz::run(&flags),
        Command::Examples(flags) => commands::examples::run(&flags),
        Command::SemverOracle(flags) => commands::oracle::run(&flags),
    }
}
