//! One module per `cargo xtask` command, each with a `run` that takes the command's flags (see
//! [`crate::flags`]). The modules are reached as `commands::codegen` and so on, so that
//! `codegen` alone always means the generator library.

pub mod bench;
pub mod bench_crate;
pub mod bench_peer;
pub mod bench_streams;
pub mod codegen;
pub mod corpus;
pub mod examples;
pub mod fuzz;
pub mod oracle;
pub mod plot;
pub mod test;
