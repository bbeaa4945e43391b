//! `cargo xtask codegen`: generate a client crate from a spec and write it, or with `--check`
//! compare it with what is on disk. With neither `--spec` nor `--out`, the Runloop client:
//! `spec/runloop.yaml` → `generated-client/`, strict.

use anyhow::{Context, Result, bail};

use crate::flags::CodegenFlags;
use crate::root;

/// Runs the command.
pub fn run(flags: &CodegenFlags) -> Result<()> {
    let root = root();
    let default = flags.spec.is_none() && flags.out.is_none();
    let spec = flags.spec.clone().unwrap_or_else(|| root.join("spec/runloop.yaml"));
    let out = flags.out.clone().unwrap_or_else(|| root.join("generated-client"));
    let mut options = if default { crate::runloop_options() } else { codegen::Options::default() };
    // A name taken from the directory is a guess: if the library refuses it and knows a valid
    // one close to it (`MyClient` → `myclient`), that is used, with a note. An explicit `--name`
    // is used as given or refused.
    let mut from_dir = false;
    if let Some(name) = &flags.name {
        options.crate_name = name.clone();
    } else if !default {
        let dir = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        options.crate_name = if dir.is_empty() { "api_client".into() } else { dir };
        from_dir = true;
    }
    options.strict |= flags.strict;
    if !default {
        options.command = format!("cargo xtask codegen --spec {} --out {}", spec.display(), out.display());
        if let Some(name) = &flags.name {
            options.command.push_str(&format!(" --name {name}"));
        }
        if flags.strict {
            options.command.push_str(" --strict");
        }
    }
    let text = std::fs::read_to_string(&spec).with_context(|| format!("reading {}", spec.display()))?;
    let generated = match codegen::generate(&text, &options) {
        Err(codegen::Error::CrateName { name, problem, suggestion: Some(suggestion) }) if from_dir => {
            eprintln!(
                "note: the directory name `{name}` is not a valid crate name: {problem}.\nnote: the crate is called `{suggestion}` (pass --name to choose)"
            );
            options.crate_name = suggestion;
            codegen::generate(&text, &options)
        }
        other => other,
    }
    .with_context(|| format!("generating from {}", spec.display()))?;
    for w in &generated.warnings {
        eprintln!("warning: {}: {w}", spec.display());
    }
    if flags.check {
        let changes = codegen::check(&out, &generated.files)?;
        if changes.is_empty() {
            println!("{} is up to date with {}", out.display(), spec.display());
            return Ok(());
        }
        print!("{}", changes.render());
        bail!("{} is stale: run `cargo xtask codegen` and commit the result", out.display());
    }
    let changes = codegen::write(&out, &generated.files)?;
    if changes.is_empty() {
        println!("{} is up to date", out.display());
    } else {
        for f in &changes.added {
            println!("created  {}", out.join(f).display());
        }
        for (f, _) in &changes.changed {
            println!("updated  {}", out.join(f).display());
        }
        for f in &changes.removed {
            println!("removed  {}", out.join(f).display());
        }
    }
    Ok(())
}
