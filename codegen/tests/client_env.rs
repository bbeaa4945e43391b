//! `Client::from_env` (its own test binary: it changes the process environment).

#[test]
fn from_env_reads_key_base_url_and_custom_headers() {
    // SAFETY: this binary has one test and no other threads read the environment.
    unsafe {
        std::env::remove_var("RUNLOOP_API_KEY");
        std::env::remove_var("RUNLOOP_BASE_URL");
        std::env::remove_var("RUNLOOP_CUSTOM_HEADERS");
    }
    let err = runloop::Client::from_env().unwrap_err();
    assert!(err.to_string().contains("RUNLOOP_API_KEY"), "{err}");

    unsafe {
        std::env::set_var("RUNLOOP_API_KEY", "sk_env_secret");
    }
    let client = runloop::Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://api.runloop.ai/");
    assert!(!format!("{client:?}").contains("sk_env_secret"));

    unsafe {
        std::env::set_var("RUNLOOP_BASE_URL", "http://127.0.0.1:4010/prefix");
        std::env::set_var("RUNLOOP_CUSTOM_HEADERS", "X-One: 1\nX-Two: two words\n");
    }
    let client = runloop::Client::from_env().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:4010/prefix");
    let debug = format!("{client:?}");
    assert!(debug.contains("x-one") && debug.contains("x-two"), "{debug}");

    unsafe {
        std::env::set_var("RUNLOOP_CUSTOM_HEADERS", "no colon here");
    }
    let err = runloop::Client::from_env().unwrap_err();
    assert!(err.to_string().contains("RUNLOOP_CUSTOM_HEADERS"), "{err}");
}
