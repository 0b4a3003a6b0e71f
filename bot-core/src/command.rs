//! The typed command language of COMMANDS.md. Parsing (in `parse`) turns a
//! chat line into a [`Command`] without side effects; the engine acts on it.

use crate::domain::{
    EventId, InitiativeId, Language, MemberId, Recurrence, Role, RsvpAnswer, ScheduleId,
};
use chrono::Duration;

/// A member named in a command: a Muster member number (`12`, `#12`) or
/// whatever handle the platform uses (console name, `@ana:example.org`,
/// a Discord `<@123>` mention), resolved by the engine on the sender's platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRef {
    Id(MemberId),
    Handle(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitiativeFilter {
    /// Proposed and open ones.
    Active,
    All,
    Mine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventRange {
    Upcoming,
    Week,
    Month,
    All,
}

/// `settings <key> <value>`, validated except for what needs the section
/// (the time zone is checked here too, since chrono-tz needs no context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingChange {
    /// A new zone; `keep_instants`: upcoming events keep their instants
    /// (their clock time changes) instead of their clock time (the default).
    Timezone {
        tz: chrono_tz::Tz,
        keep_instants: bool,
    },
    Language(Language),
    Verification(crate::domain::Policy),
    Approval(crate::domain::Policy),
    Reminders(Vec<Duration>),
    /// `None` is `confirm off`.
    Confirm(Option<Duration>),
    Waitlist(crate::domain::WaitlistMode),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventEdit {
    Title(String),
    /// Raw `<when>` text: parsed by the engine in the section's time zone.
    When(String),
    Place(String),
    /// `None` removes the limit (`cap none`).
    Capacity(Option<u32>),
    Duration(Duration),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub title: String,
    /// Raw `<when>` text: parsed by the engine in the section's time zone.
    pub when: String,
    pub place: Option<String>,
    pub duration: Option<Duration>,
    pub capacity: Option<u32>,
    pub initiative: Option<InitiativeId>,
    pub recurrence: Option<Recurrence>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnounceDraft {
    /// Raw `<when>` text for `announce at`; `None` is now.
    pub at: Option<String>,
    /// Target section slug; `None` is the room's section.
    pub to: Option<String>,
    /// Include every subsection.
    pub all: bool,
    pub text: String,
}

/// Every command; `key()` names it for help and usage lines (fluent ids
/// `usage-<key>` and `help-<key>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help {
        topic: Option<String>,
    },
    Start,
    Join,
    Leave,
    Whoami,
    Link {
        code: Option<String>,
    },
    MyData,
    ForgetMe {
        confirm: bool,
    },
    /// Member preference: may others see my name in attendee lists.
    Privacy {
        public: bool,
    },
    /// Member preference: reply language.
    Language {
        language: Language,
    },
    /// Member preference: event reminders privately too.
    Reminders {
        on: bool,
    },

    SectionNew {
        slug: String,
        name: String,
        parent: Option<String>,
    },
    SectionLink {
        slug: String,
    },
    SectionUnlink,
    SectionShow {
        slug: Option<String>,
    },
    Sections,
    Settings {
        change: Option<SettingChange>,
    },
    SetRole {
        member: MemberRef,
        role: Role,
    },
    Verify {
        member: MemberRef,
    },
    Unverify {
        member: MemberRef,
    },
    Members {
        slug: Option<String>,
    },

    InitiativeNew {
        title: String,
        description: String,
    },
    Initiatives {
        filter: InitiativeFilter,
    },
    InitiativeShow {
        id: InitiativeId,
    },
    Support {
        id: InitiativeId,
    },
    Unsupport {
        id: InitiativeId,
    },
    InitiativeApprove {
        id: InitiativeId,
    },
    InitiativeReject {
        id: InitiativeId,
        reason: Option<String>,
    },
    InitiativeClose {
        id: InitiativeId,
    },

    EventNew(EventDraft),
    Events {
        range: EventRange,
    },
    EventShow {
        id: EventId,
    },
    EventEdit {
        id: EventId,
        edit: EventEdit,
    },
    EventCancel {
        id: EventId,
        reason: Option<String>,
    },
    Rsvp {
        id: EventId,
        answer: RsvpAnswer,
        /// The guests typed (`+<n>`, none is 0); `None` for a button, which
        /// keeps the guests already announced (Going pressed after
        /// `rsvp 3 yes +2` keeps the two).
        guests: Option<u32>,
    },
    Attendees {
        id: EventId,
    },
    Nudge {
        id: EventId,
    },
    EventApprove {
        id: EventId,
    },
    EventReject {
        id: EventId,
        reason: Option<String>,
    },
    /// One or several members checked in at once.
    Checkin {
        id: EventId,
        members: Vec<MemberRef>,
    },
    /// Ends a recurring series: no occurrence after this one.
    EventStop {
        id: EventId,
    },
    Calendar {
        me: bool,
    },
    Confirm {
        id: EventId,
    },

    Announce(AnnounceDraft),
    Announcements,
    AnnounceCancel {
        id: i64,
    },
    /// Sends now an announcement held after downtime (or one still waiting).
    AnnounceSend {
        id: i64,
    },
    ScheduleDigest {
        cron: String,
    },
    Schedules,
    Unschedule {
        id: ScheduleId,
    },

    /// The proposals waiting for an organiser.
    Pending,
    Stats {
        slug: Option<String>,
    },
}

impl Command {
    /// The stable key of the command, as used in `help <command>` topics and
    /// fluent ids. Multi-word commands join with `-`: `event-new`.
    pub fn key(&self) -> &'static str {
        use Command::*;
        match self {
            Help { .. } => "help",
            Start => "start",
            Join => "join",
            Leave => "leave",
            Whoami => "whoami",
            Link { .. } => "link",
            MyData => "mydata",
            ForgetMe { .. } => "forgetme",
            Privacy { .. } => "privacy",
            Language { .. } => "language",
            Reminders { .. } => "reminders",
            SectionNew { .. } => "section-new",
            SectionLink { .. } => "section-link",
            SectionUnlink => "section-unlink",
            SectionShow { .. } => "section",
            Sections => "sections",
            Settings { .. } => "settings",
            SetRole { .. } => "role",
            Verify { .. } => "verify",
            Unverify { .. } => "unverify",
            Members { .. } => "members",
            InitiativeNew { .. } => "initiative-new",
            Initiatives { .. } => "initiatives",
            InitiativeShow { .. } => "initiative",
            Support { .. } => "support",
            Unsupport { .. } => "unsupport",
            InitiativeApprove { .. } => "initiative-approve",
            InitiativeReject { .. } => "initiative-reject",
            InitiativeClose { .. } => "initiative-close",
            EventNew(_) => "event-new",
            Events { .. } => "events",
            EventShow { .. } => "event",
            EventEdit { .. } => "event-edit",
            EventCancel { .. } => "event-cancel",
            EventStop { .. } => "event-stop",
            Rsvp { .. } => "rsvp",
            Attendees { .. } => "attendees",
            Nudge { .. } => "nudge",
            EventApprove { .. } => "event-approve",
            EventReject { .. } => "event-reject",
            Checkin { .. } => "checkin",
            Calendar { .. } => "calendar",
            Confirm { .. } => "confirm",
            Announce(_) => "announce",
            Announcements => "announcements",
            AnnounceCancel { .. } => "announce-cancel",
            AnnounceSend { .. } => "announce-send",
            ScheduleDigest { .. } => "schedule",
            Schedules => "schedules",
            Unschedule { .. } => "unschedule",
            Stats { .. } => "stats",
            Pending => "pending",
        }
    }
}

/// Every command key, in the order `help` lists them.
pub const COMMAND_KEYS: &[&str] = &[
    "help",
    "start",
    "join",
    "leave",
    "whoami",
    "link",
    "mydata",
    "forgetme",
    "privacy",
    "language",
    "reminders",
    "section-new",
    "section-link",
    "section-unlink",
    "section",
    "sections",
    "settings",
    "role",
    "verify",
    "unverify",
    "members",
    "initiative-new",
    "initiatives",
    "initiative",
    "support",
    "unsupport",
    "initiative-approve",
    "initiative-reject",
    "initiative-close",
    "event-new",
    "events",
    "event",
    "event-edit",
    "event-cancel",
    "event-stop",
    "rsvp",
    "attendees",
    "nudge",
    "event-approve",
    "event-reject",
    "checkin",
    "calendar",
    "confirm",
    "announce",
    "announcements",
    "announce-cancel",
    "announce-send",
    "schedule",
    "schedules",
    "unschedule",
    "stats",
    "pending",
];

/// Why a line could not be read as a command. The engine renders it in the
/// reader's language, with the usage line of `command`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown command `{word}`")]
    UnknownCommand {
        word: String,
        /// Closest known command names, best first (at most 3), in the
        /// language the member typed if it can be told, else English.
        suggestions: Vec<String>,
    },
    #[error("{command}: missing {argument}")]
    Missing {
        command: &'static str,
        argument: &'static str,
    },
    #[error("{command}: invalid {argument} `{value}`")]
    Invalid {
        command: &'static str,
        argument: &'static str,
        value: String,
    },
    #[error("{command}: unexpected `{extra}`")]
    Unexpected {
        command: &'static str,
        extra: String,
    },
    #[error("unclosed quote")]
    UnclosedQuote { command: Option<&'static str> },
    #[error("message too long")]
    TooLong,
}

impl ParseError {
    /// The command whose usage line explains the mistake, if known.
    pub fn command(&self) -> Option<&'static str> {
        match self {
            ParseError::Missing { command, .. }
            | ParseError::Invalid { command, .. }
            | ParseError::Unexpected { command, .. } => Some(command),
            ParseError::UnclosedQuote { command } => *command,
            ParseError::UnknownCommand { .. } | ParseError::TooLong => None,
        }
    }
}
