// The client keeps its API key private: there is no way to read it back.
fn main() {
    let client = runloop::Client::new("secret").unwrap();
    let _ = client.api_key;
}
