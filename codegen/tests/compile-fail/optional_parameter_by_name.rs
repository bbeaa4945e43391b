// An optional parameter is set by name with its own type, and only on the operation it belongs to.
#[allow(unused_must_use)]
fn main() {
    let client = runloop::Client::new("sk").unwrap();
    client.devboxes().list().limit("ten");
    client.devboxes().retrieve("dbx_1").limit(10);
}
