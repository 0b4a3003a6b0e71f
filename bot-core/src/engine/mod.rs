//! The engine: one chat line in, effects out. Each command is parsed without
//! side effects, then authorised and applied in one storage transaction; a
//! user's mistake rolls everything back and is answered in their language,
//! an internal failure is logged and answered with a short reference.

mod announce;
mod answers;
mod approval;
pub(crate) mod catchup;
mod context;
mod events;
mod format;
mod handled;
mod help;
mod initiatives;
pub(crate) mod jobs;
mod limiter;
mod members;
mod permissions;
mod rooms;
pub mod rsvp;
mod sections;
mod stats;

use crate::clock::{Clock, IdSource};
use crate::command::{Command, ParseError};
use crate::domain::{Identity, Language, Member, Platform};
use crate::i18n::{Args, Localizer};
use crate::inbound::{Inbound, Input, Outbound, OutboundKind};
use crate::store::{Store, StoreError};
use chrono_tz::Tz;
use std::sync::Arc;

pub(crate) use context::Ctx;
pub use help::command_menu;
pub(crate) use rooms::{follow_room, mark_unreachable};

/// What the operator configured that the engine needs.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Root admins from `[access] admins`.
    pub root_admins: Vec<Identity>,
    pub default_timezone: Tz,
    pub default_language: Language,
    /// The bot's own names, for Telegram's `/cmd@BotName`.
    pub bot_names: Vec<String>,
    /// Commands a member may send per minute before being told to slow down.
    pub commands_per_minute: u32,
    /// Where calendar feeds are served, once the web server is configured.
    pub public_url: Option<String>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            root_admins: Vec::new(),
            default_timezone: chrono_tz::UTC,
            default_language: Language::En,
            bot_names: Vec::new(),
            commands_per_minute: 30,
            public_url: None,
        }
    }
}

/// A mistake of the member's: shown to them, changes nothing.
#[derive(Debug)]
pub struct UserError {
    pub id: &'static str,
    pub args: Args,
    /// The command whose usage line is shown under the message.
    pub usage: Option<&'static str>,
}

impl UserError {
    pub fn new(id: &'static str, args: Args) -> Self {
        UserError {
            id,
            args,
            usage: None,
        }
    }

    pub fn with_usage(mut self, key: &'static str) -> Self {
        self.usage = Some(key);
        self
    }
}

#[derive(Debug)]
pub enum Failure {
    User(Box<UserError>),
    Internal(String),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Internal(e.to_string())
    }
}

impl From<UserError> for Failure {
    fn from(e: UserError) -> Self {
        Failure::User(Box::new(e))
    }
}

/// `fail!("id", "arg" => value)` returns a user error from the current function.
macro_rules! fail {
    ($id:literal $(, $key:literal => $value:expr)* $(,)?) => {
        return Err($crate::engine::Failure::from($crate::engine::UserError::new($id, $crate::args!($($key => $value),*))))
    };
}
pub(crate) use fail;

pub type Outcome = Result<Vec<Outbound>, Failure>;

pub struct Engine {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    i18n: Localizer,
    settings: EngineSettings,
    limiter: limiter::MemberLimiter,
    /// Called after a command commits, so the scheduler and dispatchers
    /// look at new work at once instead of at their next due time.
    waker: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl Engine {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdSource>,
        settings: EngineSettings,
    ) -> Self {
        let limiter = limiter::MemberLimiter::new(clock.clone(), settings.commands_per_minute);
        Engine {
            store,
            clock,
            ids,
            i18n: Localizer::new(),
            settings,
            limiter,
            waker: std::sync::OnceLock::new(),
        }
    }

    /// Sets what to call when a command has committed (once).
    pub fn set_waker(&self, waker: Box<dyn Fn() + Send + Sync>) {
        let _ = self.waker.set(waker);
    }

    /// Tells the scheduler and dispatchers to look for due work now (a
    /// platform connection came up, for instance).
    pub fn wake(&self) {
        if let Some(wake) = self.waker.get() {
            wake();
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn localizer(&self) -> &Localizer {
        &self.i18n
    }

    pub fn settings(&self) -> &EngineSettings {
        &self.settings
    }

    /// Handles one line. Lines not addressed to the bot give no effects.
    /// A line with a [`message_id`](Inbound::message_id) is handled once:
    /// handled again, it gives back the replies of the first time.
    pub async fn handle(&self, inbound: &Inbound) -> Vec<Outbound> {
        self.try_handle(inbound).await.unwrap_or_default()
    }

    /// [`handle`](Self::handle), but `Err` when the database cannot tell
    /// whether a message with an id was handled already: answering could
    /// answer twice, so nothing is done, and the adapter should not move
    /// past the message but try it again later.
    pub async fn try_handle(&self, inbound: &Inbound) -> Result<Vec<Outbound>, StoreError> {
        let parsed = match &inbound.input {
            Input::Text(text) => match crate::parse::parse(text, &self.bot_name_refs()) {
                Some(parsed) => parsed,
                None => return Ok(Vec::new()),
            },
            Input::Gesture(gesture) => Ok(gesture.command()),
        };
        let Some(message_id) = inbound.message_id.as_deref() else {
            return Ok(self.handle_new(inbound, parsed).await.0);
        };
        let platform = inbound.room.platform;
        match self.replies_of_handled(platform, message_id).await {
            Ok(Some(replies)) => return Ok(replies),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, message_id, "cannot tell whether a message was handled");
                return Err(e);
            }
        }
        let (mut replies, recorded) = self.handle_new(inbound, parsed).await;
        if !recorded {
            // Errors change nothing; they are recorded on their own so that
            // the same error is not sent twice either.
            handled::key_replies(message_id, &mut replies);
            let record = async {
                let mut tx = self.store.begin().await?;
                let json = handled::to_json(&replies);
                tx.record_handled(platform, message_id, &json, self.clock.now_micros())
                    .await?;
                tx.commit().await
            };
            if let Err(e) = record.await {
                tracing::warn!(error = %e, message_id, "cannot record a handled message");
            }
        }
        Ok(replies)
    }

    /// The replies a message got, if it was handled already.
    async fn replies_of_handled(
        &self,
        platform: Platform,
        message_id: &str,
    ) -> Result<Option<Vec<Outbound>>, StoreError> {
        let mut tx = self.store.begin().await?;
        let Some(json) = tx.handled_replies(platform, message_id).await? else {
            return Ok(None);
        };
        handled::from_json(&json)
            .map(Some)
            .map_err(|e| StoreError::Inconsistent(format!("stored replies of {message_id}: {e}")))
    }

    /// Where a platform bot's stream of updates stands (see
    /// [`InboxRepo`](crate::store::InboxRepo)).
    pub async fn cursor(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.store.begin().await?.cursor(name).await
    }

    /// Moves a bot's stream cursor; call it only once every message before
    /// `value` has been handled.
    pub async fn save_cursor(&self, name: &str, value: &str) -> Result<(), StoreError> {
        let mut tx = self.store.begin().await?;
        tx.set_cursor(name, value, self.clock.now_micros()).await?;
        tx.commit().await
    }

    /// Puts a reply the platform could not take now into the outbox, due at
    /// `due`, and wakes the dispatcher. Its idempotency key stays (a reply to
    /// a message re-read later is then queued once); one without a key gets
    /// a fresh one.
    pub async fn queue(
        &self,
        out: &Outbound,
        due: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let key = match &out.idempotency_key {
            Some(key) => key.clone(),
            None => format!("reply-{}", self.ids.reference()),
        };
        let mut tx = self.store.begin().await?;
        tx.enqueue(&crate::outbox::new_delivery(out, key, None, due))
            .await?;
        tx.commit().await?;
        self.wake();
        Ok(())
    }

    /// Runs a line not handled before. `true` with the replies when they
    /// were recorded as handled with the command's changes.
    async fn handle_new(
        &self,
        inbound: &Inbound,
        parsed: Result<Command, ParseError>,
    ) -> (Vec<Outbound>, bool) {
        let identity = Identity {
            platform: inbound.room.platform,
            user_id: inbound.sender.clone(),
        };
        // The console is the operator's own terminal (and scripts fed to
        // it), and root admins are the operators named in muster.toml
        // (linking fifty rooms in a row is their job): there is no room to
        // protect from them.
        let verdict =
            if inbound.room.platform == Platform::Console || self.is_root_identity(&identity) {
                limiter::Verdict::Allowed
            } else {
                self.limiter.check(&identity)
            };
        match verdict {
            limiter::Verdict::Allowed => {}
            limiter::Verdict::WarnOnce => {
                let lang = self.settings.default_language;
                let text = self.i18n.text(lang, "error-slow-down", None);
                let warning = Outbound::new(inbound.answer_target(), OutboundKind::Error, text);
                return (vec![warning], false);
            }
            limiter::Verdict::Silent => return (Vec::new(), false),
        }
        match self.run(inbound, identity, parsed).await {
            Ok(done) => done,
            Err(reference_and_lang) => {
                let (reference, lang) = reference_and_lang;
                let text = self.i18n.text(
                    lang,
                    "error-internal",
                    Some(&crate::args!("reference" => reference)),
                );
                let error = Outbound::new(inbound.answer_target(), OutboundKind::Error, text);
                (vec![error], false)
            }
        }
    }

    fn bot_name_refs(&self) -> Vec<&str> {
        self.settings.bot_names.iter().map(String::as_str).collect()
    }

    /// `Err` carries an error reference for an internal failure.
    async fn run(
        &self,
        inbound: &Inbound,
        identity: Identity,
        parsed: Result<Command, ParseError>,
    ) -> Result<(Vec<Outbound>, bool), (String, Language)> {
        let internal = |e: &dyn std::fmt::Display, lang: Language| {
            let reference = self.ids.reference();
            tracing::error!(%reference, error = %e, "command failed");
            (reference, lang)
        };
        let lang0 = self.settings.default_language;
        let tx = self.store.begin().await.map_err(|e| internal(&e, lang0))?;
        let mut ctx = Ctx::load(self, tx, inbound, identity)
            .await
            .map_err(|e| internal(&e, lang0))?;
        let lang = ctx.lang;
        if inbound.direct && ctx.is_known() {
            // Writing to the bot directly makes a member reachable again
            // (a Telegram member who blocked the bot, then started it).
            ctx.tx
                .set_unreachable(&ctx.identity, None)
                .await
                .map_err(|e| internal(&e, lang))?;
        }
        let command = match parsed {
            Ok(c) => c,
            Err(e) => return Ok((vec![ctx.parse_error(&e)], false)),
        };
        let result = match ctx.ensure_member().await {
            Ok(()) => self.execute(&mut ctx, command).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(mut out) => {
                if let Some(message_id) = inbound.message_id.as_deref() {
                    handled::key_replies(message_id, &mut out);
                    let json = handled::to_json(&out);
                    let platform = inbound.room.platform;
                    let first = ctx
                        .tx
                        .record_handled(platform, message_id, &json, ctx.now)
                        .await
                        .map_err(|e| internal(&e, lang))?;
                    if !first {
                        // Handled meanwhile by another process: its changes
                        // stand, ours roll back, its replies are the answer.
                        drop(ctx);
                        let replies = self
                            .replies_of_handled(platform, message_id)
                            .await
                            .map_err(|e| internal(&e, lang))?;
                        return Ok((replies.unwrap_or_default(), true));
                    }
                }
                ctx.commit().await.map_err(|e| internal(&e, lang))?;
                self.wake();
                Ok((out, inbound.message_id.is_some()))
            }
            Err(Failure::User(e)) => Ok((vec![ctx.user_error(&e)], false)),
            Err(Failure::Internal(e)) => Err(internal(&e, lang)),
        }
    }

    async fn execute(&self, ctx: &mut Ctx<'_>, command: Command) -> Outcome {
        use Command::*;
        match command {
            Help { topic } => help::help(ctx, topic.as_deref()),
            Start => help::help(ctx, None),
            Join => members::join(ctx).await,
            Leave => members::leave(ctx).await,
            Whoami => members::whoami(ctx).await,
            Link { code } => members::link(ctx, code.as_deref()).await,
            MyData => members::mydata(ctx).await,
            ForgetMe { confirm } => members::forgetme(ctx, confirm).await,
            Privacy { public } => members::privacy(ctx, public).await,
            Language { language } => members::language(ctx, language).await,
            Reminders { on } => members::direct_reminders(ctx, on).await,
            SectionNew { slug, name, parent } => {
                sections::create(ctx, &slug, &name, parent.as_deref()).await
            }
            SectionLink { slug } => sections::link(ctx, &slug).await,
            SectionUnlink => sections::unlink(ctx).await,
            SectionShow { slug } => sections::show(ctx, slug.as_deref()).await,
            Sections => sections::tree(ctx).await,
            Settings { change } => sections::settings(ctx, change).await,
            SetRole { member, role } => members::set_role(ctx, &member, role).await,
            Verify { member } => members::verify(ctx, &member, true).await,
            Unverify { member } => members::verify(ctx, &member, false).await,
            Members { slug } => members::list(ctx, slug.as_deref()).await,
            InitiativeNew { title, description } => {
                initiatives::create(ctx, &title, &description).await
            }
            Initiatives { filter } => initiatives::list(ctx, filter).await,
            InitiativeShow { id } => initiatives::show(ctx, id).await,
            Support { id } => initiatives::support(ctx, id, true).await,
            Unsupport { id } => initiatives::support(ctx, id, false).await,
            InitiativeApprove { id } => {
                initiatives::decide(ctx, id, initiatives::Decision::Approve, None).await
            }
            InitiativeReject { id, reason } => {
                initiatives::decide(ctx, id, initiatives::Decision::Reject, reason).await
            }
            InitiativeClose { id } => {
                initiatives::decide(ctx, id, initiatives::Decision::Close, None).await
            }
            EventNew(draft) => events::create(ctx, draft).await,
            Events { range } => events::list(ctx, range).await,
            EventShow { id } => events::show(ctx, id).await,
            EventEdit { id, edit } => events::edit(ctx, id, edit).await,
            EventCancel { id, reason } => events::cancel(ctx, id, reason).await,
            Rsvp { id, answer, guests } => answers::rsvp(ctx, id, answer, guests).await,
            Attendees { id } => answers::attendees(ctx, id).await,
            Nudge { id } => events::nudge(ctx, id).await,
            EventApprove { id } => events::decide(ctx, id, true, None).await,
            EventReject { id, reason } => events::decide(ctx, id, false, reason).await,
            Checkin { id, members } => answers::checkin(ctx, id, &members).await,
            EventStop { id } => events::stop(ctx, id).await,
            Calendar { .. } => Ok(vec![
                ctx.reply_text("calendar-not-configured", crate::args!()),
            ]),
            Confirm { id } => answers::confirm(ctx, id).await,
            Announce(draft) => announce::announce(ctx, draft).await,
            Announcements => announce::pending(ctx).await,
            AnnounceCancel { id } => announce::cancel(ctx, id).await,
            AnnounceSend { id } => announce::send_now(ctx, id).await,
            ScheduleDigest { cron } => announce::schedule(ctx, &cron).await,
            Schedules => announce::schedules(ctx).await,
            Unschedule { id } => announce::unschedule(ctx, id).await,
            Stats { slug } => stats::stats(ctx, slug.as_deref()).await,
            Pending => approval::pending(ctx).await,
        }
    }

    /// Whether an identity is a configured root admin.
    fn is_root_identity(&self, identity: &Identity) -> bool {
        self.settings.root_admins.iter().any(|a| a == identity)
    }

    /// A member's own language, else the section's, else the default.
    fn language_for(&self, member: Option<&Member>, section_lang: Option<Language>) -> Language {
        member
            .and_then(|m| m.language)
            .or(section_lang)
            .unwrap_or(self.settings.default_language)
    }
}

/// Identities as written in `[access] admins`: `platform:user`.
pub fn parse_identity(text: &str) -> Option<Identity> {
    let (platform, user) = text.split_once(':')?;
    let platform: Platform = platform.parse().ok()?;
    (!user.is_empty()).then(|| Identity {
        platform,
        user_id: user.to_string(),
    })
}
