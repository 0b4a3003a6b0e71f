//! Faults a test scripts: the next N requests (optionally only of one method
//! or to one chat) fail in a chosen way instead of being answered normally.

/// How a faulted request fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// An HTTP 5xx: the JSON envelope, or (`html`) the HTML page a proxy in
    /// front of the API serves, which a client cannot parse as JSON.
    ServerError { status: u16, html: bool },
    /// 429 with this `retry_after`, whatever the rate limits say.
    TooManyRequests { retry_after: u32 },
    /// No answer ever: only the client's own timeout ends the request.
    Hang,
    /// The TCP connection is reset without any HTTP response.
    DropConnection,
}

/// One scripted fault; build it, narrow it, then `FakeTelegram::inject_fault`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    /// Lowercase, compared with the lowercased method name.
    pub(crate) method: Option<String>,
    pub(crate) chat_id: Option<i64>,
    pub(crate) times: u32,
    pub(crate) after_processing: bool,
}

impl Fault {
    fn of(kind: FaultKind) -> Self {
        Fault {
            kind,
            method: None,
            chat_id: None,
            times: 1,
            after_processing: false,
        }
    }

    /// `{"ok":false,"error_code":status,"description":"Internal Server Error"}` (or "Bad Gateway"…).
    pub fn server_error(status: u16) -> Self {
        Self::of(FaultKind::ServerError {
            status,
            html: false,
        })
    }

    /// An nginx-style HTML error page with this status.
    pub fn server_error_html(status: u16) -> Self {
        Self::of(FaultKind::ServerError { status, html: true })
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        Self::of(FaultKind::TooManyRequests { retry_after })
    }

    pub fn hang() -> Self {
        Self::of(FaultKind::Hang)
    }

    pub fn drop_connection() -> Self {
        Self::of(FaultKind::DropConnection)
    }

    /// Only requests of this method (any case: `sendMessage`, `SendMessage`).
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_lowercase());
        self
    }

    /// Only requests whose `chat_id` is this chat.
    pub fn chat(mut self, chat_id: i64) -> Self {
        self.chat_id = Some(chat_id);
        self
    }

    /// The next `times` matching requests (default 1).
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Let the request take effect first (the message is sent, the update
    /// batch handed out) and lose only the answer: the client cannot tell
    /// whether it worked, as after a real timeout.
    pub fn after_processing(mut self) -> Self {
        self.after_processing = true;
        self
    }

    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }
}

/// The scripted faults, in the order they were injected.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queue: Vec<Fault>,
}

impl Faults {
    pub fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.queue.push(fault);
        }
    }

    /// The first fault matching this request, used up by one.
    pub fn take(&mut self, method: &str, chat_id: Option<i64>) -> Option<Fault> {
        let index = self.queue.iter().position(|fault| {
            fault
                .method
                .as_deref()
                .is_none_or(|wanted| wanted == method)
                && fault.chat_id.is_none_or(|wanted| Some(wanted) == chat_id)
        })?;
        let fault = &mut self.queue[index];
        fault.times -= 1;
        let taken = fault.clone();
        if fault.times == 0 {
            self.queue.remove(index);
        }
        Some(taken)
    }

    pub fn clear(&mut self) {
        self.queue.clear();
    }

    pub fn remaining(&self) -> u32 {
        self.queue.iter().map(|fault| fault.times).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_in_order_and_run_out() {
        let mut faults = Faults::default();
        faults.push(
            Fault::server_error(502)
                .method("SendMessage")
                .chat(5)
                .times(2),
        );
        faults.push(Fault::hang());
        assert_eq!(
            faults.take("getupdates", None).map(|f| f.kind),
            Some(FaultKind::Hang)
        );
        assert_eq!(faults.take("getupdates", None), None);
        assert_eq!(faults.take("sendmessage", Some(6)), None);
        assert!(faults.take("sendmessage", Some(5)).is_some());
        assert_eq!(faults.remaining(), 1);
        assert!(faults.take("sendmessage", Some(5)).is_some());
        assert_eq!(faults.remaining(), 0);
    }
}
