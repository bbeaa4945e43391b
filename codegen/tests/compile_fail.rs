//! Guarantees of the generated API that must hold at compile time, proven by code that must not
//! compile. The compiler's messages are checked in beside each case (`.stderr`).

#[test]
fn generated_api_rejects_misuse() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}
