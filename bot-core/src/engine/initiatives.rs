//! Initiatives: proposed by members, approved where the section asks for it,
//! supported, closed.

use super::permissions::subtree;
use super::{Ctx, Failure, Outcome, fail, members};
use crate::command::InitiativeFilter;
use crate::domain::*;
use crate::inbound::{Outbound, OutboundKind};
use crate::store::NewInitiative;

pub(super) enum Decision {
    Approve,
    Reject,
    Close,
}

/// Members of the section may act; acting makes the sender a member.
pub(super) async fn ensure_joined(ctx: &mut Ctx<'_>, section: &Section) -> Result<(), Failure> {
    let me = ctx.me().id;
    if ctx.role_in(section.id).await?.is_none() {
        members::add_membership(ctx, me, section.id).await?;
    }
    Ok(())
}

/// Proposals need a verified member where the section says so.
pub(super) async fn check_may_propose(
    ctx: &mut Ctx<'_>,
    section: &Section,
) -> Result<bool, Failure> {
    let organiser = ctx.role_in(section.id).await? >= Some(Role::Organiser);
    if !organiser
        && section.settings.verification == Policy::Required
        && !ctx.verified_in(section.id).await?
    {
        fail!("error-verification-required", "section" => section.name.as_str());
    }
    Ok(organiser)
}

pub(super) async fn create(ctx: &mut Ctx<'_>, title: &str, description: &str) -> Outcome {
    let section = ctx.section()?;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(super::UserError::new("error-bad-title", crate::args!())
            .with_usage("initiative-new")
            .into());
    }
    ensure_joined(ctx, &section).await?;
    let organiser = check_may_propose(ctx, &section).await?;
    let status = if organiser || section.settings.approval == Policy::Open {
        InitiativeStatus::Open
    } else {
        InitiativeStatus::Proposed
    };
    let initiative = ctx
        .tx
        .create_initiative(NewInitiative {
            section: section.id,
            title: title.to_string(),
            description: description.trim().to_string(),
            status,
            proposer: Some(ctx.me().id),
            created_at: ctx.now,
        })
        .await?;
    ctx.audit(
        "initiative.create",
        Some(section.id),
        format!("#{} {}", initiative.id, status),
    )
    .await?;
    let id = if status == InitiativeStatus::Proposed {
        "initiative-proposed"
    } else {
        "initiative-created"
    };
    let mut out = vec![ctx.reply_text(
        id,
        crate::args!("id" => initiative.id.0, "title" => initiative.title.as_str()),
    )];
    if status == InitiativeStatus::Proposed {
        let proposal = crate::gesture::Proposal::Initiative(initiative.id);
        out.extend(
            super::approval::tell_approvers(ctx, &section, proposal, &initiative.title).await?,
        );
    }
    Ok(out)
}

async fn visible(ctx: &mut Ctx<'_>, i: &Initiative) -> Result<bool, Failure> {
    if matches!(i.status, InitiativeStatus::Open | InitiativeStatus::Closed) {
        return Ok(true);
    }
    // Proposals and rejections are moderation matters: only their author and organisers see them.
    Ok(i.proposer == Some(ctx.me().id) || ctx.role_in(i.section).await? >= Some(Role::Organiser))
}

pub(super) async fn list(ctx: &mut Ctx<'_>, filter: InitiativeFilter) -> Outcome {
    let section = ctx.section()?;
    let scope = subtree(ctx.sections().await?, section.id);
    let me = ctx.me().id;
    let mut lines = vec![ctx.t(
        "initiatives-head",
        crate::args!("name" => section.name.as_str()),
    )];
    let mut shown = 0;
    for i in ctx.tx.initiatives().await? {
        let wanted = scope.contains(&i.section)
            && match filter {
                InitiativeFilter::Active => matches!(
                    i.status,
                    InitiativeStatus::Open | InitiativeStatus::Proposed
                ),
                InitiativeFilter::All => true,
                InitiativeFilter::Mine => i.proposer == Some(me),
            };
        if !wanted || !visible(ctx, &i).await? {
            continue;
        }
        let supporters = ctx.tx.supporters(i.id).await?.len();
        let status = ctx.t(
            &format!("initiative-status-{}", i.status.as_str()),
            crate::args!(),
        );
        lines.push(ctx.t(
            "initiatives-line",
            crate::args!("id" => i.id.0, "title" => i.title.as_str(), "status" => status, "supporters" => supporters),
        ));
        shown += 1;
    }
    if shown == 0 {
        return Ok(vec![ctx.reply_text("initiatives-none", crate::args!())]);
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

async fn find(ctx: &mut Ctx<'_>, id: InitiativeId) -> Result<Initiative, Failure> {
    match ctx.tx.initiative(id).await? {
        Some(i) if visible(ctx, &i).await? => Ok(i),
        Some(i) if i.status == InitiativeStatus::Proposed => {
            Err(super::approval::waiting("initiative", id.0))
        }
        _ => fail!("error-no-initiative", "id" => id.0),
    }
}

pub(super) async fn show(ctx: &mut Ctx<'_>, id: InitiativeId) -> Outcome {
    let i = find(ctx, id).await?;
    let supporters = ctx.tx.supporters(i.id).await?.len();
    let section = ctx
        .tx
        .section(i.section)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let status = ctx.t(
        &format!("initiative-status-{}", i.status.as_str()),
        crate::args!(),
    );
    let mut text = ctx.t(
        "initiative-details",
        crate::args!("id" => i.id.0, "title" => i.title.as_str(), "status" => status, "section" => section, "supporters" => supporters),
    );
    if !i.description.is_empty() {
        text.push('\n');
        text.push_str(&i.description);
    }
    if let Some(reason) = &i.reason {
        text.push('\n');
        text.push_str(&ctx.t("reason", crate::args!("reason" => reason.as_str())));
    }
    Ok(vec![ctx.reply(text)])
}

pub(super) async fn support(ctx: &mut Ctx<'_>, id: InitiativeId, support: bool) -> Outcome {
    let i = find(ctx, id).await?;
    let me = ctx.me().id;
    if support {
        if i.status != InitiativeStatus::Open {
            fail!("error-initiative-not-open", "id" => i.id.0);
        }
        let section = ctx
            .tx
            .section(i.section)
            .await?
            .ok_or_else(|| Failure::Internal("initiative without section".into()))?;
        ensure_joined(ctx, &section).await?;
        if !ctx.tx.add_support(i.id, me, ctx.now).await? {
            fail!("error-already-supporting", "id" => i.id.0);
        }
    } else if !ctx.tx.remove_support(i.id, me).await? {
        fail!("error-not-supporting", "id" => i.id.0);
    }
    ctx.audit(
        if support {
            "initiative.support"
        } else {
            "initiative.unsupport"
        },
        Some(i.section),
        format!("#{}", i.id),
    )
    .await?;
    let count = ctx.tx.supporters(i.id).await?.len();
    let msg = if support {
        "support-done"
    } else {
        "unsupport-done"
    };
    Ok(vec![ctx.reply_text(
        msg,
        crate::args!("id" => i.id.0, "title" => i.title.as_str(), "count" => count),
    )])
}

pub(super) async fn decide(
    ctx: &mut Ctx<'_>,
    id: InitiativeId,
    decision: Decision,
    reason: Option<String>,
) -> Outcome {
    let mut i = find(ctx, id).await?;
    let section = ctx
        .tx
        .section(i.section)
        .await?
        .ok_or_else(|| Failure::Internal("initiative without section".into()))?;
    ctx.require(&section, Role::Organiser).await?;
    let (from, to, action) = match decision {
        Decision::Approve => (
            InitiativeStatus::Proposed,
            InitiativeStatus::Open,
            "approve",
        ),
        Decision::Reject => (
            InitiativeStatus::Proposed,
            InitiativeStatus::Rejected,
            "reject",
        ),
        Decision::Close => (InitiativeStatus::Open, InitiativeStatus::Closed, "close"),
    };
    if i.status != from {
        let status = ctx.t(
            &format!("initiative-status-{}", i.status.as_str()),
            crate::args!(),
        );
        fail!("error-initiative-status", "id" => i.id.0, "status" => status);
    }
    i.status = to;
    i.reason = reason.clone();
    ctx.tx.update_initiative(&i).await?;
    ctx.audit(
        &format!("initiative.{action}"),
        Some(section.id),
        format!("#{} {}", i.id, reason.clone().unwrap_or_default()),
    )
    .await?;
    let mut out = vec![ctx.reply_text(
        &format!("initiative-{}", past(action)),
        crate::args!("id" => i.id.0, "title" => i.title.as_str()),
    )];
    // The proposer learns the outcome of their proposal.
    if let (Some(proposer), Decision::Approve | Decision::Reject) = (i.proposer, &decision)
        && proposer != ctx.me().id
        && let Some(target) = ctx.direct_target(proposer).await?
        && let Some(member) = ctx.tx.member(proposer).await?
    {
        let lang = ctx.lang_of(&member, Some(&section));
        let text = ctx.t_in(
            lang,
            &format!("initiative-{}-notice", past(action)),
            crate::args!("id" => i.id.0, "title" => i.title.as_str(), "reason" => super::events::reason_line(ctx, lang, reason.as_deref())),
        );
        out.push(Outbound::new(target, OutboundKind::Private, text));
    }
    Ok(out)
}

/// Message ids use the past participle: `initiative-approved`.
pub(super) fn past(action: &str) -> &'static str {
    match action {
        "approve" => "approved",
        "reject" => "rejected",
        _ => "closed",
    }
}
