//! An ordinary `cargo test` fails when the checked-in `generated-client/` is stale.

#[test]
fn generated_client_is_up_to_date() {
    let generated = xtask::generate_runloop().unwrap();
    let dir = xtask::root().join("generated-client");
    let changes = codegen::check(&dir, &generated.files).unwrap();
    assert!(
        changes.is_empty(),
        "generated-client/ is stale; run `cargo xtask codegen` and commit the result.\n{}",
        changes.render()
    );
}
