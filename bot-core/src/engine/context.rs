//! Everything one command runs with: the transaction, the sender, the room's
//! section and the reply language.

use super::{Engine, Failure, UserError, fail};
use crate::command::ParseError;
use crate::domain::*;
use crate::i18n::Args;
use crate::inbound::{Inbound, Outbound, OutboundKind, Target};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};

pub(crate) struct Ctx<'a> {
    pub engine: &'a Engine,
    pub tx: Box<dyn Tx>,
    pub inbound: &'a Inbound,
    pub identity: Identity,
    /// The sender; `None` only until [`Ctx::ensure_member`] runs.
    member: Option<Member>,
    pub room_section: Option<Section>,
    pub lang: Language,
    pub now: DateTime<Utc>,
    sections: Option<Vec<Section>>,
}

impl<'a> Ctx<'a> {
    /// Reads only; the sender is created later, so a bad line changes nothing.
    pub async fn load(
        engine: &'a Engine,
        mut tx: Box<dyn Tx>,
        inbound: &'a Inbound,
        identity: Identity,
    ) -> Result<Ctx<'a>, StoreError> {
        let member = tx.member_by_identity(&identity).await?;
        let room_section = match tx.room_section(&inbound.room).await? {
            Some(id) => tx.section(id).await?,
            None => None,
        };
        let lang = engine.language_for(
            member.as_ref(),
            room_section.as_ref().map(|s| s.settings.language),
        );
        Ok(Ctx {
            engine,
            tx,
            inbound,
            identity,
            member,
            room_section,
            lang,
            // Microseconds: what both databases keep, so an export reads the same from either.
            now: engine.clock.now_micros(),
            sections: None,
        })
    }

    /// Creates the sender on first contact. The first speaker of a database
    /// with no admin (and none configured) becomes root admin, so a new user
    /// can try everything at once.
    pub async fn ensure_member(&mut self) -> Result<(), Failure> {
        if self.member.is_some() {
            return Ok(());
        }
        let configured = self.engine.is_root_identity(&self.identity);
        let first = if self.engine.settings.root_admins.is_empty() {
            self.tx.lock_first_contact().await?;
            !self.tx.has_admin().await?
        } else {
            false
        };
        let name = clean_name(&self.inbound.sender_name, &self.inbound.sender);
        let member = match self
            .tx
            .create_member(&name, &self.identity, configured || first, self.now)
            .await
        {
            Ok(member) => member,
            // Another process created this identity a moment ago (PostgreSQL
            // keeps the transaction usable after the conflict): use theirs.
            Err(StoreError::Conflict(_)) => match self.tx.member_by_identity(&self.identity).await?
            {
                Some(member) => {
                    self.member = Some(member);
                    return Ok(());
                }
                None => {
                    return Err(Failure::Internal(
                        "identity conflict without a member".into(),
                    ));
                }
            },
            Err(e) => return Err(e.into()),
        };
        // No name in the audit log: `forgetme` must leave nothing personal behind.
        self.audit_as(
            Some(member.id),
            "member.create",
            None,
            self.identity.platform.to_string(),
        )
        .await?;
        self.member = Some(member);
        Ok(())
    }

    /// Whether the sender was a member before this command.
    pub fn is_known(&self) -> bool {
        self.member.is_some()
    }

    pub fn me(&self) -> &Member {
        self.member
            .as_ref()
            .expect("ensure_member runs before commands")
    }

    pub fn me_mut(&mut self) -> &mut Member {
        self.member
            .as_mut()
            .expect("ensure_member runs before commands")
    }

    /// Root admins: `[access] admins`, or the member flag.
    pub fn is_root(&self) -> bool {
        self.engine.is_root_identity(&self.identity)
            || self.member.as_ref().is_some_and(|m| m.admin)
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await
    }

    pub fn t(&self, id: &str, args: Args) -> String {
        self.engine.i18n.text(self.lang, id, Some(&args))
    }

    pub fn t_in(&self, lang: Language, id: &str, args: Args) -> String {
        self.engine.i18n.text(lang, id, Some(&args))
    }

    pub fn here(&self) -> Target {
        Target::Room(self.inbound.room.clone())
    }

    /// An answer to the sender: in the room for a typed command, privately
    /// for a gesture ([`Inbound::answer_target`]).
    pub fn reply(&self, text: String) -> Outbound {
        Outbound::new(self.inbound.answer_target(), OutboundKind::Reply, text)
    }

    pub fn reply_text(&self, id: &str, args: Args) -> Outbound {
        self.reply(self.t(id, args))
    }

    /// A message only the sender sees: a direct message where the room is
    /// shared, a plain reply where the conversation already is private.
    pub fn private(&self, text: String) -> Outbound {
        if self.inbound.direct {
            return Outbound::new(self.here(), OutboundKind::Private, text);
        }
        Outbound::new(
            Target::Direct {
                platform: self.identity.platform,
                user_id: self.identity.user_id.clone(),
            },
            OutboundKind::Private,
            text,
        )
    }

    pub fn parse_error(&self, e: &ParseError) -> Outbound {
        let (id, args) = match e {
            ParseError::UnknownCommand { word, suggestions } if suggestions.is_empty() => (
                "error-unknown-command",
                crate::args!("word" => word.as_str()),
            ),
            ParseError::UnknownCommand { word, suggestions } => (
                "error-unknown-command-suggest",
                crate::args!("word" => word.as_str(), "suggestions" => suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
            ),
            ParseError::Missing { argument, .. } => {
                ("error-missing", crate::args!("argument" => *argument))
            }
            // Arguments with a message of their own say what was expected.
            ParseError::Invalid {
                argument, value, ..
            } if self
                .engine
                .i18n
                .has(self.lang, &format!("error-invalid-{argument}")) =>
            {
                let id = format!("error-invalid-{argument}");
                let suggestion = match *argument {
                    "timezone" => crate::parse::timezone_suggestion(value),
                    _ => None,
                };
                let args = crate::args!(
                    "value" => value.as_str(),
                    "suggestion" => suggestion.unwrap_or_else(|| "none".into())
                );
                return self.error_reply(self.t(&id, args), e.command());
            }
            ParseError::Invalid {
                argument, value, ..
            } => (
                "error-invalid",
                crate::args!("argument" => *argument, "value" => value.as_str()),
            ),
            ParseError::Unexpected { extra, .. } => {
                ("error-unexpected", crate::args!("extra" => extra.as_str()))
            }
            ParseError::UnclosedQuote { .. } => ("error-unclosed-quote", crate::args!()),
            ParseError::TooLong => ("error-too-long", crate::args!()),
        };
        self.error_reply(self.t(id, args), e.command())
    }

    pub fn user_error(&self, e: &UserError) -> Outbound {
        let text = self.engine.i18n.text(self.lang, e.id, Some(&e.args));
        self.error_reply(text, e.usage)
    }

    fn error_reply(&self, mut text: String, usage: Option<&str>) -> Outbound {
        if let Some(key) = usage {
            let line = self
                .engine
                .i18n
                .text(self.lang, &format!("usage-{key}"), None);
            text.push('\n');
            text.push_str(&self.t("usage", crate::args!("usage" => line)));
        }
        Outbound::new(self.inbound.answer_target(), OutboundKind::Error, text)
    }

    /// Every section, read once per command.
    pub async fn sections(&mut self) -> Result<&[Section], Failure> {
        if self.sections.is_none() {
            self.sections = Some(self.tx.sections().await?);
        }
        Ok(self.sections.as_deref().unwrap_or_default())
    }

    /// Forget the cached tree after a change to it.
    pub fn sections_changed(&mut self) {
        self.sections = None;
    }

    /// The room's section, or a clear error telling how to link one.
    pub fn section(&self) -> Result<Section, Failure> {
        match &self.room_section {
            Some(s) => Ok(s.clone()),
            None => fail!("error-room-not-linked"),
        }
    }

    /// The section named by slug, or the room's section when none is given.
    pub async fn section_or_room(&mut self, slug: Option<&str>) -> Result<Section, Failure> {
        match slug {
            Some(slug) => self.section_by_slug(slug).await,
            None => self.section(),
        }
    }

    pub async fn section_by_slug(&mut self, slug: &str) -> Result<Section, Failure> {
        match self.tx.section_by_slug(&slug.to_lowercase()).await? {
            Some(s) => Ok(s),
            None => fail!("error-no-section", "slug" => slug),
        }
    }

    pub async fn audit(
        &mut self,
        action: &str,
        section: Option<SectionId>,
        detail: String,
    ) -> Result<(), Failure> {
        let actor = self.member.as_ref().map(|m| m.id);
        self.audit_as(actor, action, section, detail).await
    }

    async fn audit_as(
        &mut self,
        actor: Option<MemberId>,
        action: &str,
        section: Option<SectionId>,
        detail: String,
    ) -> Result<(), Failure> {
        let entry = AuditEntry {
            at: self.now,
            actor,
            platform: Some(self.identity.platform),
            section,
            action: action.to_string(),
            detail,
        };
        self.tx.record(&entry).await?;
        Ok(())
    }

    /// How a member is addressed when they are told something privately:
    /// on the sender's platform if they have an identity there, else their
    /// first; never on one marked unreachable.
    pub async fn direct_target(&mut self, member: MemberId) -> Result<Option<Target>, Failure> {
        let identities = self.tx.reachable_identities(member).await?;
        let chosen = identities
            .iter()
            .find(|i| i.platform == self.identity.platform)
            .or_else(|| identities.first());
        Ok(chosen.map(|i| Target::Direct {
            platform: i.platform,
            user_id: i.user_id.clone(),
        }))
    }

    /// The language to tell a given member something in.
    pub fn lang_of(&self, member: &Member, section: Option<&Section>) -> Language {
        self.engine
            .language_for(Some(member), section.map(|s| s.settings.language))
    }
}

/// Platform display names can be anything; keep them printable and short.
fn clean_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect::<String>()
        .trim()
        .to_string();
    if cleaned.is_empty() {
        fallback.chars().take(64).collect()
    } else {
        cleaned
    }
}
