//! `runtime/download.rs`: the `Content-Disposition` file name.

#[test]
fn content_disposition_file_names_never_leave_their_directory() {
    use crate::runtime::download::content_disposition_file_name as name;
    assert_eq!(name("attachment; filename=\"report.pdf\"").as_deref(), Some("report.pdf"));
    assert_eq!(name("attachment; filename=plain.txt").as_deref(), Some("plain.txt"));
    assert_eq!(
        name("attachment; filename=\"fallback.bin\"; filename*=UTF-8''d%C3%A9j%C3%A0.bin").as_deref(),
        Some("d\u{e9}j\u{e0}.bin")
    );
    assert_eq!(name("attachment; filename=\"../../etc/passwd\"").as_deref(), Some("passwd"));
    assert_eq!(name("attachment; filename=\"C:\\\\x\\\\y.txt\"").as_deref(), Some("y.txt"));
    assert_eq!(name("attachment; filename=\"..\""), None);
    assert_eq!(name("attachment; filename*=UTF-8''..%2F"), None);
    assert_eq!(name("inline"), None);
    // Windows drives and NTFS streams, and control characters.
    assert_eq!(name("attachment; filename=\"C:report.pdf\"").as_deref(), Some("report.pdf"));
    assert_eq!(name("attachment; filename=\"x.txt:hidden\"").as_deref(), Some("hidden"));
    assert_eq!(name("attachment; filename*=UTF-8''a%0Ab%00.txt").as_deref(), Some("ab.txt"));
    assert_eq!(name("attachment; filename=\"C:\""), None);
}
