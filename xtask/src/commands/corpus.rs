//! `cargo xtask corpus`: the generator over every spec of the APIs.guru directory plus GitHub's
//! (or, with `--ci`, the coverage subset), a report in `.cache/corpus/`, and with `--compile`
//! clippy over crates generated from a seeded sample. The machinery is in [`crate::corpus`].

use anyhow::{Result, bail};

use crate::corpus;
use crate::flags::CorpusFlags;
use crate::root;

/// Runs the command.
pub fn run(flags: &CorpusFlags) -> Result<()> {
    let &CorpusFlags { ci, compile, sample, seed, threads } = flags;
    let (api, github) = corpus::fetch()?;
    let all = corpus::directory_specs(&api)?;
    let github = corpus::Spec { name: "api.github.com.json (@octokit/openapi)".into(), path: github };
    let mut specs: Vec<corpus::Spec> = if ci {
        let chosen: Vec<corpus::Spec> =
            all.iter().filter(|s| corpus::CI_SUBSET.contains(&s.name.as_str())).cloned().collect();
        if chosen.len() != corpus::CI_SUBSET.len() {
            bail!("CI subset names {} specs, found {}", corpus::CI_SUBSET.len(), chosen.len());
        }
        chosen
    } else {
        all.clone()
    };
    specs.push(github.clone());
    let started = std::time::Instant::now();
    let results = corpus::run_all(&specs, threads.max(1), std::time::Duration::from_secs(120));
    let report = root().join(".cache/corpus").join(if ci { "report-ci.md" } else { "report.md" });
    let summary = corpus::report(&results, started.elapsed(), &report)?;
    println!("{summary}\nfull report: {}", report.display());
    let panics = results.iter().filter(|(_, o, _)| matches!(o, corpus::Outcome::Panicked(_))).count();
    if panics > 0 {
        bail!("{panics} spec(s) made the generator panic");
    }
    if ci && results.iter().any(|(_, o, _)| !matches!(o, corpus::Outcome::Generated { .. })) {
        bail!("a CI corpus spec failed to generate; see {}", report.display());
    }
    if compile {
        let mut chosen = if ci { specs.clone() } else { corpus::sample(&all, sample, seed) };
        if !ci {
            chosen.push(github);
            let list: String = chosen.iter().map(|s| format!("{}\n", s.name)).collect();
            let list_path = root().join("xtask/corpus-sample.txt");
            std::fs::write(
                &list_path,
                format!("# Written by `cargo xtask corpus --compile --sample {sample} --seed {seed}`.\n{list}"),
            )?;
            println!("compile sample written to {}", list_path.display());
        }
        let workspace = root().join(".cache/corpus").join(if ci { "check-ci" } else { "check" });
        let corpus::Checked { members, failed, wall } = corpus::compile(&chosen, &workspace)?;
        println!(
            "{} of {} generated crates pass `cargo clippy --all-targets -D warnings` ({:.0?})",
            members.len() - failed.len(),
            members.len(),
            wall
        );
        for (krate, spec) in &failed {
            println!("  does not compile: {spec} ({krate}); see {}", workspace.join("check.log").display());
        }
        if !failed.is_empty() {
            bail!("{} generated crate(s) do not compile cleanly", failed.len());
        }
    }
    Ok(())
}
