//! The terminal room: `muster console` and the console bot of `muster run`.
//! A line `name> text` is sent by member `name`; a bare line by the last
//! named member; `name> [rsvp 3 yes]` presses a button as `name` (a
//! gesture). Replies, private messages and outbox deliveries are printed;
//! with a simulated clock, `~ +24h` moves time and shows what the scheduler
//! sends, and when; `~ down +24h` is a downtime: nothing runs until the
//! clock has moved, then Muster catches up.

use async_trait::async_trait;
use muster_core::clock::MockClock;
use muster_core::domain::{Platform, RoomRef};
use muster_core::engine::Engine;
use muster_core::gesture::Gesture;
use muster_core::inbound::{Inbound, Input, Outbound, OutboundKind, Target};
use muster_core::outbox::{Dispatcher, Messenger, Outgoing, Paced, RetryPolicy, SendError};
use muster_core::scheduler::Scheduler;
use muster_core::when::parse_duration;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The console's one room.
pub const ROOM_ID: &str = "console";
/// Who speaks before anyone is named.
const DEFAULT_SPEAKER: &str = "me";

pub fn room() -> RoomRef {
    RoomRef::new(Platform::Console, ROOM_ID)
}

/// The terminal as a platform: replies and outbox deliveries are written to
/// one sink, in the order they happen.
pub struct ConsoleMessenger {
    sink: Mutex<Box<dyn Write + Send>>,
}

impl ConsoleMessenger {
    pub fn new(sink: Box<dyn Write + Send>) -> Self {
        ConsoleMessenger {
            sink: Mutex::new(sink),
        }
    }

    pub fn stdout() -> Self {
        Self::new(Box::new(std::io::stdout()))
    }

    pub fn print(&self, text: &str) {
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        // A closed terminal is not worth failing a delivery over.
        let _ = sink.write_all(text.as_bytes()).and_then(|()| sink.flush());
    }
}

#[async_trait]
impl Messenger for ConsoleMessenger {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn send(&self, message: &Outbound) -> Result<(), SendError> {
        self.print(&render(message));
        Ok(())
    }
}

/// The console room: reads lines, answers them, and carries the outbox's
/// console deliveries. Replies and deliveries go out through one
/// [`Outgoing`] path, like every platform's.
pub struct Console {
    engine: Arc<Engine>,
    printer: Arc<ConsoleMessenger>,
    outgoing: Outgoing,
    dispatcher: Arc<Dispatcher>,
    scheduler: Arc<Scheduler>,
    /// With `--simulate-from`: the clock `~ +24h` lines advance.
    simulated: Option<MockClock>,
    /// Print a short greeting first (interactive use).
    greet: bool,
}

impl Console {
    /// A console printing to `printer`; `simulated` is the clock of
    /// `--simulate-from`, which only `~` lines move.
    pub fn new(
        engine: Arc<Engine>,
        printer: Arc<ConsoleMessenger>,
        simulated: Option<MockClock>,
        greet: bool,
    ) -> Self {
        // A terminal takes everything at once: no limits to pace for.
        let paced = Arc::new(Paced::unlimited(printer.clone(), engine.clock().clone()));
        let dispatcher = Arc::new(Dispatcher::new(
            engine.store().clone(),
            engine.clock().clone(),
            paced.clone(),
            RetryPolicy::default(),
        ));
        Console {
            outgoing: Outgoing::new(engine.clone(), paced),
            scheduler: Arc::new(Scheduler::new(engine.clone())),
            engine,
            printer,
            dispatcher,
            simulated,
            greet,
        }
    }

    /// Carries the console's deliveries; `muster run` runs it in the
    /// background with the platforms' dispatchers.
    pub fn dispatcher(&self) -> Arc<Dispatcher> {
        self.dispatcher.clone()
    }

    pub fn scheduler(&self) -> Arc<Scheduler> {
        self.scheduler.clone()
    }
}

/// What one input line means.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    /// `name> text`: a line typed in the room (`text` may be a button
    /// press, see [`pressed`]).
    Say {
        speaker: Option<&'a str>,
        text: &'a str,
    },
    Advance(&'a str),
    /// `~ down +24h`: Muster is off for that long (nothing runs meanwhile),
    /// then starts again and catches up.
    Down(&'a str),
    Blank,
}

/// A button pressed on the console: `[rsvp 3 yes]`, or the whole button as
/// shown, `[Going: rsvp 3 yes]`. `None` when the text is no button press.
fn pressed(text: &str) -> Option<Result<Gesture, String>> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let gesture = inner.rsplit_once(':').map_or(inner, |(_, g)| g).trim();
    Some(gesture.parse().map_err(|_| inner.to_string()))
}

fn read_line(line: &str) -> Line<'_> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Line::Blank;
    }
    if let Some(rest) = line.strip_prefix('~') {
        let rest = rest.trim();
        if let Some(by) = rest.strip_prefix("down") {
            return Line::Down(by.trim().trim_start_matches('+').trim());
        }
        return Line::Advance(rest.trim_start_matches('+').trim());
    }
    if let Some((name, text)) = line.split_once('>') {
        let name = name.trim();
        // `/announce a > b` is a command, not a speaker named "/announce a".
        if !name.is_empty() && name.chars().count() <= 64 && !name.starts_with(['/', '!']) {
            return Line::Say {
                speaker: Some(name),
                text: text.trim(),
            };
        }
    }
    Line::Say {
        speaker: None,
        text: line,
    }
}

impl Console {
    /// Reads lines until end of input.
    pub async fn run<R: AsyncBufRead + Unpin>(&self, input: R) -> std::io::Result<()> {
        if self.greet {
            self.printer.print(
                "Muster console. `name> /help` speaks as `name`; a bare line speaks as the last name.\n\
                 Start with: section new local \"My group\", then section link local. Ctrl-D to quit.\n",
            );
        }
        let mut speaker = DEFAULT_SPEAKER.to_string();
        let mut lines = input.lines();
        while let Some(line) = lines.next_line().await? {
            match read_line(&line) {
                Line::Blank => continue,
                Line::Advance(by) => self.advance(by).await,
                Line::Down(by) => self.down(by).await,
                Line::Say {
                    speaker: named,
                    text,
                } => {
                    if let Some(name) = named {
                        speaker = name.to_string();
                    }
                    if text.is_empty() {
                        continue;
                    }
                    let input = match pressed(text) {
                        Some(Ok(gesture)) => Input::Gesture(gesture),
                        Some(Err(what)) => {
                            self.printer.print(&format!(
                                "~ `[{what}]` is no button; press one as shown, e.g. `[rsvp 3 yes]`\n"
                            ));
                            continue;
                        }
                        // The console is a command room: the prefix is optional here.
                        None if text.starts_with(['/', '!']) => Input::Text(text.to_string()),
                        None => Input::Text(format!("/{text}")),
                    };
                    let inbound = Inbound {
                        input,
                        ..Inbound::text(room(), speaker.clone(), "")
                    };
                    let replies = self.engine.handle(&inbound).await;
                    self.outgoing.send_all(replies).await;
                    self.dispatch().await;
                }
            }
        }
        Ok(())
    }

    async fn dispatch(&self) {
        if let Err(e) = self.dispatcher.dispatch_due().await {
            tracing::warn!(error = %e, "console deliveries failed; they stay queued");
        }
    }

    /// Moves the simulated clock with nothing run meanwhile, as if Muster
    /// had been stopped, then runs what is due: the catch-up after downtime.
    async fn down(&self, by: &str) {
        let Some(clock) = &self.simulated else {
            self.printer
                .print("~ the clock only moves with --simulate-from\n");
            return;
        };
        let Ok(step) = parse_duration(by) else {
            self.printer
                .print(&format!("~ cannot read `{by}`; write e.g. `~ down +24h`\n"));
            return;
        };
        clock.set(self.engine.clock().now() + step);
        self.printer.print(&format!(
            "~ Muster was off; back at {}\n",
            self.engine.clock().now().format("%Y-%m-%d %H:%M UTC")
        ));
        if let Err(e) = self.scheduler.run_due().await {
            self.printer.print(&format!("~ scheduler error: {e}\n"));
        }
        self.dispatch().await;
    }

    /// Moves the simulated clock, stopping at each job's due time so what
    /// is sent shows with the time it would be sent at.
    async fn advance(&self, by: &str) {
        let Some(clock) = &self.simulated else {
            self.printer
                .print("~ the clock only moves with --simulate-from\n");
            return;
        };
        let Ok(step) = parse_duration(by) else {
            self.printer.print(&format!(
                "~ cannot read `{by}`; write e.g. `~ +24h` or `~ +30m`\n"
            ));
            return;
        };
        let target = self.engine.clock().now() + step;
        loop {
            let next = match self.scheduler.next_due().await {
                Ok(next) => next,
                Err(e) => {
                    self.printer.print(&format!("~ scheduler error: {e}\n"));
                    break;
                }
            };
            match next {
                Some(at) if at <= target => {
                    if at > self.engine.clock().now() {
                        clock.set(at);
                    }
                    self.printer.print(&format!(
                        "~ {}\n",
                        self.engine.clock().now().format("%Y-%m-%d %H:%M UTC")
                    ));
                    if let Err(e) = self.scheduler.run_due().await {
                        self.printer.print(&format!("~ scheduler error: {e}\n"));
                        break;
                    }
                    self.dispatch().await;
                }
                _ => break,
            }
        }
        clock.set(target);
        self.dispatch().await;
        self.printer.print(&format!(
            "~ now {}\n",
            self.engine.clock().now().format("%Y-%m-%d %H:%M UTC")
        ));
    }
}

/// How one message reads on a terminal.
pub fn render(out: &Outbound) -> String {
    let mut text = match &out.target {
        Target::Room(room) if room.platform == Platform::Console => String::new(),
        Target::Room(room) => format!("[to {}:{}] ", room.platform, room.room_id),
        Target::Direct {
            platform: Platform::Console,
            user_id,
        } => format!("[private to {user_id}] "),
        Target::Direct { platform, user_id } => format!("[private to {platform}:{user_id}] "),
    };
    if out.kind == OutboundKind::Error {
        text.push_str("⚠ ");
    }
    text.push_str(&out.text);
    text.push('\n');
    if !out.buttons.is_empty() {
        let buttons: Vec<String> = out
            .buttons
            .iter()
            .map(|b| format!("[{}: {}]", b.label, b.gesture))
            .collect();
        text.push_str(&format!("   {}\n", buttons.join(" ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_their_speaker() {
        assert_eq!(
            read_line("ana> /help"),
            Line::Say {
                speaker: Some("ana"),
                text: "/help"
            }
        );
        assert_eq!(
            read_line("Ana B> join"),
            Line::Say {
                speaker: Some("Ana B"),
                text: "join"
            }
        );
        assert_eq!(
            read_line("/announce a > b"),
            Line::Say {
                speaker: None,
                text: "/announce a > b"
            }
        );
        assert_eq!(read_line("  "), Line::Blank);
        assert_eq!(read_line("~ +24h"), Line::Advance("24h"));
        assert_eq!(read_line("~ down +2h"), Line::Down("2h"));
    }

    #[test]
    fn buttons_are_pressed_as_shown() {
        let going = Gesture::Rsvp {
            event: muster_core::domain::EventId(3),
            answer: muster_core::domain::RsvpAnswer::Yes,
        };
        assert_eq!(pressed("[rsvp 3 yes]"), Some(Ok(going)));
        assert_eq!(pressed("[Going: rsvp 3 yes]"), Some(Ok(going)));
        assert_eq!(pressed("[nonsense]"), Some(Err("nonsense".into())));
        assert_eq!(pressed("rsvp 3 yes"), None);
    }
}
