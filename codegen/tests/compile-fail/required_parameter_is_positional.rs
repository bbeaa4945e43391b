// Path parameters are positional: a call cannot leave one out, nor pass an optional parameter
// positionally; optional ones are set by name on the request.
#[allow(unused_must_use)]
fn main() {
    let client = runloop::Client::new("sk").unwrap();
    client.devboxes().executions().retrieve("dbx_1");
    client.devboxes().list(10);
}
