//! The terminal room: `muster console` and the console bot of `muster run`.
//! A line `name> text` is sent by member `name`; a bare line by the last
//! named member. Replies, private messages and deliveries are printed.

use muster_core::clock::MockClock;
use muster_core::domain::{Platform, RoomRef};
use muster_core::engine::Engine;
use muster_core::inbound::{Inbound, Outbound, OutboundKind, Target};
use muster_core::when::parse_duration;
use std::sync::Arc;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// The console's one room.
pub const ROOM_ID: &str = "console";
/// Who speaks before anyone is named.
const DEFAULT_SPEAKER: &str = "me";

pub fn room() -> RoomRef {
    RoomRef::new(Platform::Console, ROOM_ID)
}

/// Options of a console session.
#[derive(Default)]
pub struct Options {
    /// With `--simulate-from`: the clock `~ +24h` lines advance.
    pub simulated: Option<MockClock>,
    /// Print a short greeting first (interactive use).
    pub greet: bool,
}

/// What one input line means.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    Say {
        speaker: Option<&'a str>,
        text: &'a str,
    },
    Advance(&'a str),
    Blank,
}

fn read_line(line: &str) -> Line<'_> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Line::Blank;
    }
    if let Some(rest) = line.strip_prefix('~') {
        return Line::Advance(rest.trim().trim_start_matches('+').trim());
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

/// Reads lines until end of input, handing each to the engine and printing
/// what comes back. Delivery results are reported to the engine's outbox.
pub async fn run<R, W>(
    engine: Arc<Engine>,
    input: R,
    mut output: W,
    options: Options,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    if options.greet {
        output
            .write_all(b"Muster console. Type `name> /help` to speak as `name`; a bare line speaks as the last name. Ctrl-D to quit.\n")
            .await?;
    }
    let mut speaker = DEFAULT_SPEAKER.to_string();
    let mut lines = input.lines();
    while let Some(line) = lines.next_line().await? {
        match read_line(&line) {
            Line::Blank => continue,
            Line::Advance(by) => {
                let text = advance(&options, by, &engine);
                output.write_all(text.as_bytes()).await?;
            }
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
                // The console is a command room: the prefix is optional here.
                let text = if text.starts_with(['/', '!']) {
                    text.to_string()
                } else {
                    format!("/{text}")
                };
                let inbound = Inbound {
                    room: room(),
                    direct: false,
                    sender: speaker.clone(),
                    sender_name: speaker.clone(),
                    text,
                };
                for out in engine.handle(&inbound).await {
                    let printed = render(&out);
                    output.write_all(printed.as_bytes()).await?;
                    if let Some(id) = out.delivery {
                        let sent = out.target.platform() == Platform::Console;
                        engine.record_delivery(id, sent).await;
                    }
                }
            }
        }
        output.flush().await?;
    }
    Ok(())
}

fn advance(options: &Options, by: &str, engine: &Engine) -> String {
    let Some(clock) = &options.simulated else {
        return "~ the clock only moves with --simulate-from\n".to_string();
    };
    match parse_duration(by) {
        Ok(d) => {
            clock.advance(d);
            format!(
                "~ now {}\n",
                engine.clock().now().format("%Y-%m-%d %H:%M UTC")
            )
        }
        Err(_) => format!("~ cannot read `{by}`; write e.g. `~ +24h` or `~ +30m`\n"),
    }
}

/// How one effect reads on a terminal.
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
            .map(|b| format!("[{} {}]", b.label, b.command))
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
    }
}
