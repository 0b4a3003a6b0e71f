//! Members, identities, memberships, link codes, merge and forget.

use std::sync::Arc;

use muster_core::domain::*;
use muster_core::store::*;

use super::{answer, at, identity, is_conflict, member, new_event, new_initiative, section};

pub async fn members_and_identities(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let alice_tg = identity(Platform::Telegram, "1001");
    let alice = tx
        .create_member("Alice", &alice_tg, true, at(1))
        .await
        .unwrap();
    assert_eq!(alice.name.as_deref(), Some("Alice"));
    assert!(alice.admin);
    assert_eq!(alice.language, None);
    // Privacy by default: a new member's name is not shown to other members.
    assert!(!alice.public_name);
    assert_eq!(alice.created_at, at(1));
    let bob = member(&mut tx, "Bob").await;
    assert!(!bob.admin);

    assert_eq!(tx.member(alice.id).await.unwrap(), Some(alice.clone()));
    assert_eq!(tx.member(MemberId(9999)).await.unwrap(), None);
    assert_eq!(
        tx.member_by_identity(&alice_tg).await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(
        tx.member_by_identity(&identity(Platform::Matrix, "1001"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.identities(alice.id).await.unwrap(),
        vec![alice_tg.clone()]
    );
    assert_eq!(
        tx.members().await.unwrap(),
        vec![alice.clone(), bob.clone()]
    );

    let renamed = Member {
        name: Some("Alice L.".into()),
        language: Some(Language::Fr),
        admin: false,
        public_name: true,
        direct_reminders: false,
        ..alice.clone()
    };
    tx.update_member(&renamed).await.unwrap();
    assert_eq!(tx.member(alice.id).await.unwrap(), Some(renamed.clone()));
    assert_eq!(tx.member(bob.id).await.unwrap(), Some(bob));
}

pub async fn identity_conflict(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    member(&mut tx, "alice").await;
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let taken = identity(Platform::Console, "alice");
    assert!(is_conflict(
        tx.create_member("Other", &taken, false, at(0)).await
    ));
}

pub async fn has_admin_counts_root_and_section_admins(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert!(!tx.has_admin().await.unwrap());
    let s = section(&mut tx, "s").await;
    let m = member(&mut tx, "m").await;
    let mut membership = Membership {
        member: m.id,
        section: s.id,
        role: Role::Organiser,
        verified: true,
        joined_at: at(0),
    };
    tx.put_membership(&membership).await.unwrap();
    assert!(!tx.has_admin().await.unwrap());
    membership.role = Role::Admin;
    tx.put_membership(&membership).await.unwrap();
    assert!(tx.has_admin().await.unwrap());
    tx.delete_membership(m.id, s.id).await.unwrap();
    assert!(!tx.has_admin().await.unwrap());
    tx.update_member(&Member { admin: true, ..m })
        .await
        .unwrap();
    assert!(tx.has_admin().await.unwrap());
}

pub async fn memberships_put_and_delete(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let a = section(&mut tx, "a").await;
    let b = section(&mut tx, "b").await;
    let x = member(&mut tx, "x").await;
    let y = member(&mut tx, "y").await;
    let xa = Membership {
        member: x.id,
        section: a.id,
        role: Role::Member,
        verified: false,
        joined_at: at(1),
    };
    let xb = Membership {
        member: x.id,
        section: b.id,
        role: Role::Admin,
        verified: true,
        joined_at: at(2),
    };
    let ya = Membership {
        member: y.id,
        section: a.id,
        role: Role::Organiser,
        verified: true,
        joined_at: at(3),
    };
    // Inserted out of order, read back ordered.
    tx.put_membership(&ya).await.unwrap();
    tx.put_membership(&xb).await.unwrap();
    tx.put_membership(&xa).await.unwrap();

    assert_eq!(tx.membership(x.id, a.id).await.unwrap(), Some(xa.clone()));
    assert_eq!(tx.membership(y.id, b.id).await.unwrap(), None);
    assert_eq!(
        tx.memberships_of(x.id).await.unwrap(),
        vec![xa.clone(), xb.clone()]
    );
    assert_eq!(
        tx.memberships_in(a.id).await.unwrap(),
        vec![xa.clone(), ya.clone()]
    );

    // Putting again replaces.
    let promoted = Membership {
        role: Role::Organiser,
        verified: true,
        ..xa.clone()
    };
    tx.put_membership(&promoted).await.unwrap();
    assert_eq!(tx.membership(x.id, a.id).await.unwrap(), Some(promoted));
    assert_eq!(tx.memberships_in(a.id).await.unwrap().len(), 2);

    assert!(tx.delete_membership(x.id, a.id).await.unwrap());
    assert!(!tx.delete_membership(x.id, a.id).await.unwrap());
    assert_eq!(tx.memberships_of(x.id).await.unwrap(), vec![xb]);
}

pub async fn link_code_is_taken_once(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let m = member(&mut tx, "m").await;
    let code = LinkCode {
        code: "K7Q2-9XZ".into(),
        member: m.id,
        expires_at: at(1),
    };
    tx.put_link_code(&code).await.unwrap();
    assert!(is_conflict(tx.put_link_code(&code).await));
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    let m = member(&mut tx, "m").await;
    let code = LinkCode {
        member: m.id,
        ..code
    };
    tx.put_link_code(&code).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.take_link_code("nope").await.unwrap(), None);
    // Expiry is the engine's business: an expired code is still returned.
    assert_eq!(tx.take_link_code("K7Q2-9XZ").await.unwrap(), Some(code));
    assert_eq!(tx.take_link_code("K7Q2-9XZ").await.unwrap(), None);
}

pub async fn merge_members_moves_everything(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let (s1, s2, s3) = (
        section(&mut tx, "s1").await,
        section(&mut tx, "s2").await,
        section(&mut tx, "s3").await,
    );
    let from_id = identity(Platform::Telegram, "77");
    let into_id = identity(Platform::Matrix, "@bea:example.org");
    let from = tx
        .create_member("Bea (telegram)", &from_id, true, at(0))
        .await
        .unwrap();
    let into = tx
        .create_member("Bea", &into_id, false, at(0))
        .await
        .unwrap();
    let bystander = member(&mut tx, "other").await;

    let m = |member: MemberId, section: SectionId, role, verified, joined_at| Membership {
        member,
        section,
        role,
        verified,
        joined_at,
    };
    tx.put_membership(&m(from.id, s1.id, Role::Organiser, false, at(1)))
        .await
        .unwrap();
    tx.put_membership(&m(into.id, s1.id, Role::Member, true, at(2)))
        .await
        .unwrap();
    tx.put_membership(&m(from.id, s2.id, Role::Member, false, at(3)))
        .await
        .unwrap();
    tx.put_membership(&m(into.id, s3.id, Role::Admin, false, at(4)))
        .await
        .unwrap();

    let both = tx
        .create_initiative(new_initiative(s1.id, "both"))
        .await
        .unwrap();
    let only_from = tx
        .create_initiative(NewInitiative {
            proposer: Some(from.id),
            ..new_initiative(s1.id, "only from")
        })
        .await
        .unwrap();
    tx.add_support(both.id, from.id, at(1)).await.unwrap();
    tx.add_support(both.id, into.id, at(2)).await.unwrap();
    tx.add_support(only_from.id, from.id, at(1)).await.unwrap();
    tx.add_support(only_from.id, bystander.id, at(1))
        .await
        .unwrap();

    let e1 = tx
        .create_event(new_event(s1.id, "e1", at(48)))
        .await
        .unwrap();
    let e2 = tx
        .create_event(new_event(s1.id, "e2", at(72)))
        .await
        .unwrap();
    tx.put_rsvp(&answer(e1.id, from.id, RsvpStatus::Going, at(1)))
        .await
        .unwrap();
    tx.put_rsvp(&answer(e1.id, into.id, RsvpStatus::Declined, at(2)))
        .await
        .unwrap();
    tx.put_rsvp(&answer(e2.id, from.id, RsvpStatus::Maybe, at(3)))
        .await
        .unwrap();
    tx.put_link_code(&LinkCode {
        code: "c".into(),
        member: from.id,
        expires_at: at(1),
    })
    .await
    .unwrap();
    tx.record(&AuditEntry {
        at: at(1),
        actor: Some(from.id),
        platform: Some(Platform::Telegram),
        section: None,
        action: "link".into(),
        detail: String::new(),
    })
    .await
    .unwrap();

    tx.merge_members(from.id, into.id).await.unwrap();

    assert_eq!(tx.member(from.id).await.unwrap(), None);
    let merged = tx.member(into.id).await.unwrap().unwrap();
    assert_eq!(merged.name.as_deref(), Some("Bea"));
    assert!(merged.admin, "root admin survives a merge");
    assert_eq!(
        tx.member_by_identity(&from_id).await.unwrap().map(|m| m.id),
        Some(into.id)
    );
    let mut identities = tx.identities(into.id).await.unwrap();
    identities.sort_by_key(|i| i.platform);
    assert_eq!(identities, vec![into_id, from_id]);

    assert_eq!(
        tx.memberships_of(into.id).await.unwrap(),
        vec![
            // Higher role, either verification, the earlier join.
            m(into.id, s1.id, Role::Organiser, true, at(1)),
            m(into.id, s2.id, Role::Member, false, at(3)),
            m(into.id, s3.id, Role::Admin, false, at(4)),
        ]
    );
    assert!(tx.memberships_of(from.id).await.unwrap().is_empty());

    assert_eq!(tx.supporters(both.id).await.unwrap(), vec![into.id]);
    assert_eq!(
        tx.supporters(only_from.id).await.unwrap(),
        vec![into.id, bystander.id]
    );
    assert_eq!(
        tx.initiative(only_from.id).await.unwrap().unwrap().proposer,
        Some(into.id)
    );

    // Where both answered, `into`'s answer stands.
    assert_eq!(
        tx.rsvps(e1.id).await.unwrap(),
        vec![answer(e1.id, into.id, RsvpStatus::Declined, at(2))]
    );
    assert_eq!(
        tx.rsvps(e2.id).await.unwrap(),
        vec![answer(e2.id, into.id, RsvpStatus::Maybe, at(3))]
    );
    assert_eq!(tx.rsvps_of(into.id).await.unwrap().len(), 2);
    assert!(tx.rsvps_of(from.id).await.unwrap().is_empty());

    assert_eq!(
        tx.take_link_code("c").await.unwrap().map(|c| c.member),
        Some(into.id)
    );
    assert_eq!(tx.audit(10).await.unwrap()[0].actor, Some(into.id));
    // The merge holds after commit (foreign keys are checked by then at the latest).
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.members().await.unwrap().len(), 2);
}

pub async fn forget_member_keeps_counts(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let gone_identity = identity(Platform::Console, "gone");
    // A root admin: the rights go with the person.
    let gone = tx
        .create_member("gone", &gone_identity, true, at(0))
        .await
        .unwrap();
    tx.put_membership(&Membership {
        member: gone.id,
        section: s.id,
        role: Role::Organiser,
        verified: true,
        joined_at: at(0),
    })
    .await
    .unwrap();
    tx.put_link_code(&LinkCode {
        code: "c".into(),
        member: gone.id,
        expires_at: at(1),
    })
    .await
    .unwrap();
    let event = tx.create_event(new_event(s.id, "e", at(24))).await.unwrap();
    tx.put_rsvp(&answer(event.id, gone.id, RsvpStatus::Going, at(1)))
        .await
        .unwrap();
    let initiative = tx
        .create_initiative(new_initiative(s.id, "i"))
        .await
        .unwrap();
    tx.add_support(initiative.id, gone.id, at(1)).await.unwrap();

    tx.forget_member(gone.id).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let row = tx
        .member(gone.id)
        .await
        .unwrap()
        .expect("the member row stays");
    assert_eq!(row.name, None);
    assert!(!row.admin, "a forgotten member keeps no rights");
    assert!(!tx.has_admin().await.unwrap());
    assert_eq!(row.display_name(), format!("#{}", gone.id));
    assert!(tx.identities(gone.id).await.unwrap().is_empty());
    assert_eq!(tx.member_by_identity(&gone_identity).await.unwrap(), None);
    assert!(tx.memberships_of(gone.id).await.unwrap().is_empty());
    assert!(tx.memberships_in(s.id).await.unwrap().is_empty());
    assert_eq!(tx.take_link_code("c").await.unwrap(), None);
    // Counts stay right.
    assert_eq!(tx.rsvps(event.id).await.unwrap().len(), 1);
    assert_eq!(tx.supporters(initiative.id).await.unwrap(), vec![gone.id]);
    // The freed identity may come back as a new member.
    let again = tx
        .create_member("again", &gone_identity, false, at(2))
        .await
        .unwrap();
    assert_ne!(again.id, gone.id);
}

pub async fn unreachable_identities_are_marked_and_cleared(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let ana = tx
        .create_member("ana", &identity(Platform::Telegram, "42"), false, at(0))
        .await
        .unwrap();
    let matrix = identity(Platform::Matrix, "@ana:example.org");
    let other = tx
        .create_member("ana2", &matrix, false, at(0))
        .await
        .unwrap();
    tx.merge_members(other.id, ana.id).await.unwrap();
    let telegram = identity(Platform::Telegram, "42");
    assert_eq!(tx.unreachable_since(&telegram).await.unwrap(), None);
    assert!(tx.set_unreachable(&telegram, Some(at(1))).await.unwrap());
    // Marking again keeps the first time and changes nothing.
    assert!(!tx.set_unreachable(&telegram, Some(at(2))).await.unwrap());
    assert_eq!(tx.unreachable_since(&telegram).await.unwrap(), Some(at(1)));
    assert_eq!(tx.reachable_identities(ana.id).await.unwrap(), [matrix]);
    assert_eq!(tx.identities(ana.id).await.unwrap().len(), 2);
    assert!(tx.set_unreachable(&telegram, None).await.unwrap());
    assert!(!tx.set_unreachable(&telegram, None).await.unwrap());
    assert_eq!(tx.reachable_identities(ana.id).await.unwrap().len(), 2);
    // An identity nobody has is never marked.
    let stranger = identity(Platform::Telegram, "7");
    assert!(!tx.set_unreachable(&stranger, Some(at(1))).await.unwrap());
    assert_eq!(tx.unreachable_since(&stranger).await.unwrap(), None);
    tx.commit().await.unwrap();
}
