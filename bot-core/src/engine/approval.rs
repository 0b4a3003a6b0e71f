//! The approval queue: what members propose where the section asks for
//! approval waits for an organiser. The organisers are told at once,
//! privately, with Approve / Reject buttons; `pending` lists what waits;
//! the author is told the outcome (see `events::decide` and
//! `initiatives::decide`).

use super::permissions::{ancestry, subtree};
use super::{Ctx, Failure, Outcome, UserError};
use crate::domain::*;
use crate::gesture::{Gesture, Proposal};
use crate::inbound::{Button, Outbound, OutboundKind, Target};
use crate::store::{StoreError, Tx};

/// Who decides on a proposal in `section`: its organisers, else those of
/// the nearest section above that has some, else the root admins. Never
/// the author.
async fn approvers(
    ctx: &mut Ctx<'_>,
    section: &Section,
    author: MemberId,
) -> Result<Vec<MemberId>, Failure> {
    let sections = ctx.sections().await?.to_vec();
    Ok(organisers_of(ctx.tx.as_mut(), &sections, section.id, Some(author)).await?)
}

/// The organisers who answer for `section`: its own (organisers and
/// admins), else those of the nearest section above that has some, else
/// the root admins; `except` left out.
pub(crate) async fn organisers_of(
    tx: &mut dyn Tx,
    sections: &[Section],
    section: SectionId,
    except: Option<MemberId>,
) -> Result<Vec<MemberId>, StoreError> {
    for id in ancestry(sections, section) {
        let organisers: Vec<MemberId> = tx
            .memberships_in(id)
            .await?
            .into_iter()
            .filter(|m| m.role >= Role::Organiser && Some(m.member) != except)
            .map(|m| m.member)
            .collect();
        if !organisers.is_empty() {
            return Ok(organisers);
        }
    }
    Ok(tx
        .members()
        .await?
        .into_iter()
        .filter(|m| m.admin && Some(m.id) != except)
        .map(|m| m.id)
        .collect())
}

/// Notices for the approvers of a new proposal, each in their language and
/// with the buttons that decide. Private where they can be reached; when
/// none can, one notice in the room the proposal was made in.
pub(super) async fn tell_approvers(
    ctx: &mut Ctx<'_>,
    section: &Section,
    proposal: Proposal,
    title: &str,
) -> Result<Vec<Outbound>, Failure> {
    let author = ctx.me().clone();
    let (id, what) = match proposal {
        Proposal::Event(id) => (id.0, "event"),
        Proposal::Initiative(id) => (id.0, "initiative"),
    };
    let notice = |ctx: &Ctx<'_>, lang: Language| {
        let text = ctx.t_in(
            lang,
            &format!("approval-{what}-notice"),
            crate::args!("author" => author.display_name(), "id" => id, "title" => title, "section" => section.name.as_str()),
        );
        let buttons = [(true, "button-approve"), (false, "button-reject")]
            .into_iter()
            .map(|(approve, label)| Button {
                label: ctx.t_in(lang, label, crate::args!()),
                gesture: Gesture::Decide { proposal, approve },
            })
            .collect();
        (text, buttons)
    };
    let mut out = Vec::new();
    for member in approvers(ctx, section, author.id).await? {
        let (Some(target), Some(member)) = (
            ctx.direct_target(member).await?,
            ctx.tx.member(member).await?,
        ) else {
            continue;
        };
        let lang = ctx.lang_of(&member, Some(section));
        let (text, buttons) = notice(ctx, lang);
        let mut message = Outbound::new(target, OutboundKind::Private, text);
        message.buttons = buttons;
        out.push(message);
    }
    if out.is_empty() {
        let (text, buttons) = notice(ctx, section.settings.language);
        let mut message = Outbound::new(
            Target::Room(ctx.inbound.room.clone()),
            OutboundKind::Notice,
            text,
        );
        message.buttons = buttons;
        out.push(message);
    }
    Ok(out)
}

/// `pending`: the proposals waiting in this room's section and below, for
/// its organisers.
pub(super) async fn pending(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let scope = subtree(ctx.sections().await?, section.id);
    let mut lines = Vec::new();
    for e in ctx.tx.events().await? {
        if e.status == EventStatus::Proposed && scope.contains(&e.section) {
            let when = ctx.fmt_when(e.starts_at, &section);
            lines.push(ctx.t(
                "pending-event",
                crate::args!("id" => e.id.0, "title" => e.title.as_str(), "when" => when),
            ));
        }
    }
    for i in ctx.tx.initiatives().await? {
        if i.status == InitiativeStatus::Proposed && scope.contains(&i.section) {
            lines.push(ctx.t(
                "pending-initiative",
                crate::args!("id" => i.id.0, "title" => i.title.as_str()),
            ));
        }
    }
    if lines.is_empty() {
        return Ok(vec![ctx.reply_text(
            "pending-none",
            crate::args!("name" => section.name.as_str()),
        )]);
    }
    let mut text = vec![ctx.t(
        "pending-head",
        crate::args!("name" => section.name.as_str(), "count" => lines.len()),
    )];
    text.extend(lines);
    Ok(vec![ctx.reply(text.join("\n"))])
}

/// The answer to someone who may not see a proposal: that it waits for
/// approval, and nothing of what it says.
pub(super) fn waiting(kind: &'static str, id: i64) -> Failure {
    UserError::new(
        "error-proposal-waiting",
        crate::args!("kind" => kind, "id" => id),
    )
    .into()
}
