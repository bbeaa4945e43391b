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

    // A malformed line is named by its number, never echoed: it may hold a secret.
    unsafe {
        std::env::set_var("RUNLOOP_CUSTOM_HEADERS", "X-One: 1\nAuthorization Bearer sk_header_secret");
    }
    let err = runloop::Client::from_env().unwrap_err();
    let (display, debug) = (err.to_string(), format!("{err:?}"));
    assert!(display.contains("RUNLOOP_CUSTOM_HEADERS") && display.contains("line 2"), "{display}");
    assert!(!display.contains("sk_header_secret") && !debug.contains("sk_header_secret"), "{display} / {debug}");

    // A base URL's credentials show as `***` in `Debug` and in configuration errors.
    unsafe {
        std::env::remove_var("RUNLOOP_CUSTOM_HEADERS");
        std::env::set_var("RUNLOOP_BASE_URL", "https://user:url_secret@127.0.0.1:4010/v1");
    }
    let client = runloop::Client::from_env().unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("url_secret") && debug.contains("***@127.0.0.1"), "{debug}");
    let builder = runloop::Client::builder_from_env().unwrap();
    assert!(!format!("{builder:?}").contains("url_secret"), "{builder:?}");
    unsafe {
        std::env::set_var("RUNLOOP_BASE_URL", "ftp://user:url_secret@example.com/");
    }
    let err = runloop::Client::from_env().unwrap_err();
    assert!(err.to_string().contains("must be an http(s) URL"), "{err}");
    assert!(!err.to_string().contains("url_secret") && !format!("{err:?}").contains("url_secret"), "{err:?}");
    unsafe {
        std::env::set_var("RUNLOOP_BASE_URL", "https://user:url_secret@[not a host/");
    }
    let err = runloop::Client::from_env().unwrap_err();
    assert!(!err.to_string().contains("url_secret") && !format!("{err:?}").contains("url_secret"), "{err:?}");
}
