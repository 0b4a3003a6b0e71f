//! Membership, identity linking, roles, verification and personal data.

use super::{Ctx, Failure, Outcome, fail};
use crate::command::MemberRef;
use crate::domain::*;

/// Finds the member a command names, on the sender's platform.
pub(super) async fn resolve(ctx: &mut Ctx<'_>, who: &MemberRef) -> Result<Member, Failure> {
    let found = match who {
        MemberRef::Id(id) => ctx.tx.member(*id).await?,
        MemberRef::Handle(handle) => {
            let platform = ctx.identity.platform;
            let mut found = None;
            for candidate in handle_forms(handle) {
                let identity = Identity {
                    platform,
                    user_id: candidate,
                };
                if let Some(m) = ctx.tx.member_by_identity(&identity).await? {
                    found = Some(m);
                    break;
                }
            }
            found
        }
    };
    match found {
        Some(m) if m.name.is_some() => Ok(m),
        _ => {
            let shown = match who {
                MemberRef::Id(id) => format!("#{id}"),
                MemberRef::Handle(h) => h.clone(),
            };
            fail!("error-no-member", "member" => shown)
        }
    }
}

/// A handle as typed may carry platform markup: `@name`, `<@123>`, `<@!123>`.
fn handle_forms(handle: &str) -> Vec<String> {
    let mut forms = vec![handle.to_string()];
    let inner = handle
        .trim_start_matches("<@")
        .trim_start_matches('!')
        .trim_end_matches('>');
    if inner != handle {
        forms.push(inner.to_string());
    }
    if let Some(stripped) = handle.strip_prefix('@') {
        forms.push(stripped.to_string());
    }
    forms
}

pub(super) async fn join(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    let me = ctx.me().id;
    if ctx.tx.membership(me, section.id).await?.is_some() {
        return Ok(vec![ctx.reply_text(
            "join-already",
            crate::args!("name" => section.name.as_str()),
        )]);
    }
    add_membership(ctx, me, section.id).await?;
    Ok(vec![ctx.reply_text(
        "join-done",
        crate::args!("name" => section.name.as_str()),
    )])
}

/// Makes the sender a plain member of a section (RSVPs and supports do it too).
pub(super) async fn add_membership(
    ctx: &mut Ctx<'_>,
    member: MemberId,
    section: SectionId,
) -> Result<(), Failure> {
    let m = Membership {
        member,
        section,
        role: Role::Member,
        verified: false,
        joined_at: ctx.now,
    };
    ctx.tx.put_membership(&m).await?;
    ctx.audit("membership.join", Some(section), format!("#{member}"))
        .await
}

pub(super) async fn leave(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    let me = ctx.me().id;
    if !ctx.tx.delete_membership(me, section.id).await? {
        fail!("error-not-member", "name" => section.name.as_str());
    }
    ctx.audit("membership.leave", Some(section.id), format!("#{me}"))
        .await?;
    let given_back = super::answers::release(ctx, &section, me).await?;
    let mut out = vec![ctx.reply_text("leave-done", crate::args!("name" => section.name.as_str()))];
    out.extend(given_back);
    Ok(out)
}

pub(super) async fn whoami(ctx: &mut Ctx<'_>) -> Outcome {
    let me = ctx.me().clone();
    let identities = ctx.tx.identities(me.id).await?;
    let memberships = ctx.tx.memberships_of(me.id).await?;
    let sections = ctx.sections().await?.to_vec();
    let mut lines = vec![ctx.t(
        "whoami-head",
        crate::args!("name" => me.display_name(), "id" => me.id.0),
    )];
    let ids = identities
        .iter()
        .map(|i| format!("{}:{}", i.platform, i.user_id))
        .collect::<Vec<_>>()
        .join(", ");
    lines.push(ctx.t("whoami-identities", crate::args!("identities" => ids)));
    if ctx.is_root() {
        lines.push(ctx.t("whoami-root", crate::args!()));
    }
    if memberships.is_empty() {
        lines.push(ctx.t("whoami-no-sections", crate::args!()));
    }
    for m in &memberships {
        let name = sections
            .iter()
            .find(|s| s.id == m.section)
            .map(|s| s.name.as_str())
            .unwrap_or("?");
        let role = ctx.t(
            &format!("role-singular-{}", m.role.as_str()),
            crate::args!(),
        );
        let verified = if m.verified {
            ctx.t("verified", crate::args!())
        } else {
            String::new()
        };
        lines.push(ctx.t(
            "whoami-section",
            crate::args!("name" => name, "role" => role, "verified" => verified),
        ));
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

pub(super) async fn link(ctx: &mut Ctx<'_>, code: Option<&str>) -> Outcome {
    let me = ctx.me().clone();
    let Some(code) = code else {
        let code = LinkCode {
            code: ctx.engine.ids.link_code(),
            member: me.id,
            expires_at: ctx.now + chrono::Duration::minutes(10),
        };
        ctx.tx.put_link_code(&code).await?;
        let mut out =
            vec![ctx.private(ctx.t("link-code", crate::args!("code" => code.code.as_str())))];
        if !ctx.inbound.direct {
            out.push(ctx.reply_text("link-code-sent", crate::args!()));
        }
        return Ok(out);
    };
    let code = code.trim().to_uppercase();
    let Some(found) = ctx.tx.take_link_code(&code).await? else {
        fail!("error-link-code");
    };
    if found.expires_at <= ctx.now {
        fail!("error-link-code");
    }
    if found.member == me.id {
        fail!("error-link-self");
    }
    let Some(mut into) = ctx.tx.member(found.member).await? else {
        fail!("error-link-code");
    };
    // Written first: the merge credits `me`'s audit entries to `into`. The
    // merge also keeps root admin if either account had it.
    ctx.audit(
        "member.merge",
        None,
        format!("#{} into #{}", me.id, into.id),
    )
    .await?;
    ctx.tx.merge_members(me.id, into.id).await?;
    if let Some(merged) = ctx.tx.member(into.id).await? {
        into = merged;
    }
    Ok(vec![ctx.reply_text(
        "link-done",
        crate::args!("name" => into.display_name(), "id" => into.id.0),
    )])
}

pub(super) async fn mydata(ctx: &mut Ctx<'_>) -> Outcome {
    let me = ctx.me().clone();
    let identities = ctx.tx.identities(me.id).await?;
    let memberships = ctx.tx.memberships_of(me.id).await?;
    let rsvps = ctx.tx.rsvps_of(me.id).await?;
    let sections = ctx.sections().await?.to_vec();
    let slug = |id: SectionId| {
        sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.slug.clone())
            .unwrap_or_default()
    };
    let mut supports = Vec::new();
    for i in ctx.tx.initiatives().await? {
        if ctx.tx.supporters(i.id).await?.contains(&me.id) {
            supports.push(serde_json::json!({ "initiative": i.id, "title": i.title }));
        }
    }
    let data = serde_json::json!({
        "member": me.id,
        "name": me.name,
        "language": me.language.map(|l| l.as_str()),
        "name_visible_to_members": me.public_name,
        "created_at": me.created_at.to_rfc3339(),
        "identities": identities.iter().map(|i| serde_json::json!({"platform": i.platform, "user_id": i.user_id})).collect::<Vec<_>>(),
        "memberships": memberships.iter().map(|m| serde_json::json!({"section": slug(m.section), "role": m.role, "verified": m.verified, "joined_at": m.joined_at.to_rfc3339()})).collect::<Vec<_>>(),
        "rsvps": rsvps.iter().map(|r| serde_json::json!({"event": r.event, "status": r.status, "guests": r.guests, "checked_in": r.checked_in})).collect::<Vec<_>>(),
        "supports": supports,
    });
    let pretty =
        serde_json::to_string_pretty(&data).map_err(|e| Failure::Internal(e.to_string()))?;
    let mut out = vec![ctx.private(format!(
        "{}\n{pretty}",
        ctx.t("mydata-head", crate::args!())
    ))];
    if !ctx.inbound.direct {
        out.push(ctx.reply_text("mydata-sent", crate::args!()));
    }
    Ok(out)
}

/// How long `forgetme confirm` may follow `forgetme`.
const FORGET_CONFIRM_WITHIN: chrono::Duration = chrono::Duration::minutes(10);

pub(super) async fn forgetme(ctx: &mut Ctx<'_>, confirm: bool) -> Outcome {
    let me = ctx.me().id;
    if !confirm {
        // Recorded, so that only a confirmation soon after it erases.
        ctx.audit("member.forget.ask", None, format!("#{me}"))
            .await?;
        return Ok(vec![ctx.reply_text("forgetme-ask", crate::args!())]);
    }
    let asked = ctx.tx.last_action(me, "member.forget.ask").await?;
    if asked.is_none_or(|at| ctx.now - at > FORGET_CONFIRM_WITHIN) {
        fail!("error-forgetme-unasked");
    }
    let was_admin = ctx.is_root() || is_admin_somewhere(ctx, me).await?;
    ctx.tx.forget_member(me).await?;
    // Nobody left to run the organisation: hand over first.
    if was_admin && ctx.engine.settings.root_admins.is_empty() && !ctx.tx.has_admin().await? {
        fail!("error-forgetme-last-admin");
    }
    ctx.audit("member.forget", None, format!("#{me}")).await?;
    Ok(vec![ctx.reply_text("forgetme-done", crate::args!())])
}

async fn is_admin_somewhere(ctx: &mut Ctx<'_>, member: MemberId) -> Result<bool, Failure> {
    Ok(ctx
        .tx
        .memberships_of(member)
        .await?
        .iter()
        .any(|m| m.role == Role::Admin))
}

pub(super) async fn privacy(ctx: &mut Ctx<'_>, public: bool) -> Outcome {
    ctx.me_mut().public_name = public;
    let me = ctx.me().clone();
    ctx.tx.update_member(&me).await?;
    ctx.audit("member.privacy", None, format!("public={public}"))
        .await?;
    let id = if public {
        "privacy-public"
    } else {
        "privacy-private"
    };
    Ok(vec![ctx.reply_text(id, crate::args!())])
}

pub(super) async fn direct_reminders(ctx: &mut Ctx<'_>, on: bool) -> Outcome {
    ctx.me_mut().direct_reminders = on;
    let me = ctx.me().clone();
    ctx.tx.update_member(&me).await?;
    ctx.audit("member.reminders", None, format!("direct={on}"))
        .await?;
    let id = if on { "reminders-on" } else { "reminders-off" };
    Ok(vec![ctx.reply_text(id, crate::args!())])
}

pub(super) async fn language(ctx: &mut Ctx<'_>, language: Language) -> Outcome {
    ctx.me_mut().language = Some(language);
    let me = ctx.me().clone();
    ctx.tx.update_member(&me).await?;
    ctx.lang = language;
    ctx.audit("member.language", None, language.as_str().to_string())
        .await?;
    Ok(vec![ctx.reply_text("language-set", crate::args!())])
}

pub(super) async fn set_role(ctx: &mut Ctx<'_>, who: &MemberRef, role: Role) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Admin).await?;
    let target = resolve(ctx, who).await?;
    let existing = ctx.tx.membership(target.id, section.id).await?;
    let m = Membership {
        member: target.id,
        section: section.id,
        role,
        verified: existing.as_ref().is_some_and(|m| m.verified),
        joined_at: existing.map(|m| m.joined_at).unwrap_or(ctx.now),
    };
    ctx.tx.put_membership(&m).await?;
    ctx.audit(
        "membership.role",
        Some(section.id),
        format!("#{} {}", target.id, role),
    )
    .await?;
    let role_name = ctx.t(&format!("role-{}", role.as_str()), crate::args!());
    Ok(vec![ctx.reply_text(
        "role-set",
        crate::args!("member" => target.display_name(), "role" => role_name, "section" => section.name.as_str()),
    )])
}

pub(super) async fn verify(ctx: &mut Ctx<'_>, who: &MemberRef, verified: bool) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let target = resolve(ctx, who).await?;
    let existing = ctx.tx.membership(target.id, section.id).await?;
    let m = Membership {
        member: target.id,
        section: section.id,
        role: existing.as_ref().map(|m| m.role).unwrap_or(Role::Member),
        verified,
        joined_at: existing.map(|m| m.joined_at).unwrap_or(ctx.now),
    };
    ctx.tx.put_membership(&m).await?;
    ctx.audit(
        "membership.verify",
        Some(section.id),
        format!("#{} verified={verified}", target.id),
    )
    .await?;
    let id = if verified {
        "verify-done"
    } else {
        "unverify-done"
    };
    Ok(vec![ctx.reply_text(
        id,
        crate::args!("member" => target.display_name(), "section" => section.name.as_str()),
    )])
}

pub(super) async fn list(ctx: &mut Ctx<'_>, slug: Option<&str>) -> Outcome {
    let section = ctx.section_or_room(slug).await?;
    ctx.require(&section, Role::Organiser).await?;
    let memberships = ctx.tx.memberships_in(section.id).await?;
    let mut lines = vec![ctx.t(
        "members-head",
        crate::args!("name" => section.name.as_str(), "count" => memberships.len()),
    )];
    for m in memberships {
        let Some(member) = ctx.tx.member(m.member).await? else {
            continue;
        };
        let role = ctx.t(
            &format!("role-singular-{}", m.role.as_str()),
            crate::args!(),
        );
        let verified = if m.verified {
            ctx.t("verified", crate::args!())
        } else {
            String::new()
        };
        lines.push(ctx.t(
            "members-line",
            crate::args!("id" => member.id.0, "name" => member.display_name(), "role" => role, "verified" => verified),
        ));
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}
