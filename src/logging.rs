//! What the operator reads: log lines, banners and errors, every one passed
//! through [`muster_secret::redact`] on its way to standard error, so no
//! password or token reaches a terminal or a log file, whoever printed it
//! (Muster, sqlx, a platform library).

use std::io::Write;
use tracing_subscriber::fmt::MakeWriter;

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MUSTER_LOG")
        // matrix-sdk logs every refused request at ERROR, including the
        // expected ones (absent account data); Muster logs the failures
        // that matter itself.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,matrix_sdk::http_client=off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Redacted)
        .init();
}

/// A line for the operator (a banner, a notice) on standard error.
pub fn say(text: &str) {
    eprintln!("{}", muster_secret::redact(text));
}

/// Writes each log event to standard error once it is complete, redacted.
struct Redacted;

impl<'a> MakeWriter<'a> for Redacted {
    type Writer = RedactedLine;

    fn make_writer(&'a self) -> RedactedLine {
        RedactedLine(Vec::new())
    }
}

/// One event's text, held until the formatter is done with it: a secret
/// split across two writes would escape a redaction of each.
struct RedactedLine(Vec<u8>);

impl Write for RedactedLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for RedactedLine {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        let _ = std::io::stderr().write_all(muster_secret::redact(&text).as_bytes());
    }
}
