use super::*;
use crate::command::{
    AnnounceDraft, COMMAND_KEYS, EventDraft, EventEdit as Edit, EventRange, InitiativeFilter,
    MemberRef, SettingChange,
};
use crate::domain::{
    EventId, InitiativeId, Language as Lang, MemberId, Policy, Recurrence, Role, RsvpAnswer,
    ScheduleId, WaitlistMode,
};
use Command::*;
use chrono::Duration;
use proptest::prelude::*;

const BOTS: &[&str] = &["MusterBot", "@muster_dev_bot"];

fn ok(line: &str) -> Command {
    match parse(line, BOTS) {
        Some(Ok(c)) => c,
        other => panic!("{line:?} gave {other:?}"),
    }
}

fn err(line: &str) -> ParseError {
    match parse(line, BOTS) {
        Some(Err(e)) => e,
        other => panic!("{line:?} gave {other:?}"),
    }
}

fn check(cases: Vec<(&str, Command)>) {
    for (line, want) in cases {
        assert_eq!(ok(line), want, "{line:?}");
    }
}

fn check_err(cases: Vec<(&str, ParseError)>) {
    for (line, want) in cases {
        assert_eq!(err(line), want, "{line:?}");
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

fn missing(command: &'static str, argument: &'static str) -> ParseError {
    ParseError::Missing { command, argument }
}

fn invalid(command: &'static str, argument: &'static str, value: &str) -> ParseError {
    ParseError::Invalid {
        command,
        argument,
        value: s(value),
    }
}

fn unexpected(command: &'static str, extra: &str) -> ParseError {
    ParseError::Unexpected {
        command,
        extra: s(extra),
    }
}

fn unknown(word: &str, suggestions: &[&str]) -> ParseError {
    ParseError::UnknownCommand {
        word: s(word),
        suggestions: suggestions.iter().map(|x| s(x)).collect(),
    }
}

fn draft(title: &str, when: &str) -> EventDraft {
    EventDraft {
        title: s(title),
        when: s(when),
        place: None,
        duration: None,
        capacity: None,
        initiative: None,
        recurrence: None,
    }
}

fn announce(at: Option<&str>, to: Option<&str>, all: bool, text: &str) -> Command {
    Announce(AnnounceDraft {
        at: at.map(s),
        to: to.map(s),
        all,
        text: s(text),
    })
}

fn edit(id: i64, edit: Edit) -> Command {
    Command::EventEdit {
        id: EventId(id),
        edit,
    }
}

fn set(change: SettingChange) -> Command {
    Settings {
        change: Some(change),
    }
}

fn rsvp(id: i64, answer: RsvpAnswer, guests: u32) -> Command {
    let guests = Some(guests);
    Rsvp {
        id: EventId(id),
        answer,
        guests,
    }
}

fn handle(h: &str) -> MemberRef {
    MemberRef::Handle(s(h))
}

fn member(n: i64) -> MemberRef {
    MemberRef::Id(MemberId(n))
}

#[test]
fn addressing() {
    for line in [
        "hello",
        "",
        "   ",
        "help",
        "/",
        "!",
        "/ help",
        "! help",
        "!!!",
        "/10",
        "/#3",
        "/@MusterBot",
        "/help@OtherBot",
        "/event@other_bot new \"x\"",
        "/muster@OtherBot help",
        "hi /help",
    ] {
        assert_eq!(parse(line, BOTS), None, "{line:?}");
    }
    check(vec![
        ("/help", Help { topic: None }),
        ("!help", Help { topic: None }),
        ("  /help", Help { topic: None }),
        ("/help@MusterBot", Help { topic: None }),
        ("/HELP@musterbot", Help { topic: None }),
        ("/help@muster_dev_bot", Help { topic: None }),
        ("/event@MusterBot 12", EventShow { id: EventId(12) }),
        ("/help@", Help { topic: None }),
        (
            "!muster help event",
            Help {
                topic: Some(s("event")),
            },
        ),
        ("!muster", Help { topic: None }),
        ("!Muster /join", Join),
        ("/muster join", Join),
        ("/muster@MusterBot rsvp 3 oui", rsvp(3, RsvpAnswer::Yes, 0)),
        ("/join\n", Join),
    ]);
    assert_eq!(parse("/help@MusterBot", &[]), None);
}

#[test]
fn too_long() {
    let long = format!("/announce {}", "x".repeat(4000));
    assert_eq!(err(&long), ParseError::TooLong);
    let fits = format!("/announce {}", "é".repeat(4000 - 10));
    assert!(matches!(ok(&fits), Announce(_)));
    // Not addressed to the bot: no reply at all, however long.
    assert_eq!(parse(&"x".repeat(100_000), BOTS), None);
    let huge = format!("/help {}", "« ".repeat(3_000_000));
    assert_eq!(err(&huge), ParseError::TooLong);
}

#[test]
fn general_and_membership() {
    check(vec![
        ("/help", Help { topic: None }),
        ("/aide", Help { topic: None }),
        (
            "/help Event New",
            Help {
                topic: Some(s("event new")),
            },
        ),
        (
            "/aide   évènement   nouveau",
            Help {
                topic: Some(s("évènement nouveau")),
            },
        ),
        (
            "/help \"event new\"",
            Help {
                topic: Some(s("event new")),
            },
        ),
        (
            "/help \"event",
            Help {
                topic: Some(s("\"event")),
            },
        ),
        ("/start", Start),
        ("/start deep-link-payload", Start),
        ("/join", Join),
        ("/rejoindre", Join),
        ("/leave", Leave),
        ("/quitter", Leave),
        ("/whoami", Whoami),
        ("/moi", Whoami),
        ("/link", Link { code: None }),
        (
            "/lier AB12CD",
            Link {
                code: Some(s("AB12CD")),
            },
        ),
        ("/mydata", MyData),
        ("/mesdonnées", MyData),
        ("/mes-donnees", MyData),
        ("/forgetme", ForgetMe { confirm: false }),
        ("/forgetme confirm", ForgetMe { confirm: true }),
        ("/oubliemoi confirmer", ForgetMe { confirm: true }),
        ("/privacy public", Privacy { public: true }),
        ("/reminders on", Reminders { on: true }),
        ("/rappels non", Reminders { on: false }),
        ("/privacy private", Privacy { public: false }),
        ("/confidentialité privé", Privacy { public: false }),
        ("/confidentialite publique", Privacy { public: true }),
        ("/language fr", Command::Language { language: Lang::Fr }),
        ("/langue anglais", Command::Language { language: Lang::En }),
        ("/LANGUE FR", Command::Language { language: Lang::Fr }),
    ]);
    check_err(vec![
        ("/join now", unexpected("join", "now")),
        ("/whoami \"x", unexpected("whoami", "\"x")),
        ("/forgetme please", unexpected("forgetme", "please")),
        ("/privacy", missing("privacy", "visibility")),
        (
            "/privacy secret",
            invalid("privacy", "visibility", "secret"),
        ),
        ("/language de", invalid("language", "language", "de")),
        ("/link a b", unexpected("link", "b")),
        (
            "/link \"abc",
            ParseError::UnclosedQuote {
                command: Some("link"),
            },
        ),
    ]);
}

#[test]
fn sections_and_policy() {
    check(vec![
        (
            "/section new paris \"Paris centre\"",
            SectionNew {
                slug: s("paris"),
                name: s("Paris centre"),
                parent: None,
            },
        ),
        (
            "/section nouvelle lyon « Lyon & environs » dans france",
            SectionNew {
                slug: s("lyon"),
                name: s("Lyon & environs"),
                parent: Some(s("france")),
            },
        ),
        (
            "/section new paris-11 Paris onzième in paris",
            SectionNew {
                slug: s("paris-11"),
                name: s("Paris onzième"),
                parent: Some(s("paris")),
            },
        ),
        (
            "/section_new x \"in\"",
            SectionNew {
                slug: s("x"),
                name: s("in"),
                parent: None,
            },
        ),
        ("/section link paris", SectionLink { slug: s("paris") }),
        ("/section lier paris", SectionLink { slug: s("paris") }),
        ("/section unlink", SectionUnlink),
        ("/section délier", SectionUnlink),
        ("/section", SectionShow { slug: None }),
        (
            "/section paris",
            SectionShow {
                slug: Some(s("paris")),
            },
        ),
        ("/sections", Sections),
        ("/settings", Settings { change: None }),
        ("/réglages", Settings { change: None }),
        (
            "/settings timezone Europe/Paris",
            set(SettingChange::Timezone { tz: chrono_tz::Europe::Paris, keep_instants: false }),
        ),
        (
            "/reglages fuseau america/new_york",
            set(SettingChange::Timezone { tz: chrono_tz::America::New_York, keep_instants: false }),
        ),
        (
            "/settings language fr",
            set(SettingChange::Language(Lang::Fr)),
        ),
        (
            "/reglages langue en",
            set(SettingChange::Language(Lang::En)),
        ),
        (
            "/settings verification required",
            set(SettingChange::Verification(Policy::Required)),
        ),
        (
            "/réglages vérification ouverte",
            set(SettingChange::Verification(Policy::Open)),
        ),
        (
            "/settings approval open",
            set(SettingChange::Approval(Policy::Open)),
        ),
        (
            "/reglages approbation requise",
            set(SettingChange::Approval(Policy::Required)),
        ),
        (
            "/settings reminders 24h,1h",
            set(SettingChange::Reminders(vec![
                Duration::hours(24),
                Duration::hours(1),
            ])),
        ),
        (
            "/reglages rappels 1h, 24h",
            set(SettingChange::Reminders(vec![
                Duration::hours(24),
                Duration::hours(1),
            ])),
        ),
        (
            "/settings confirm 24h",
            set(SettingChange::Confirm(Some(Duration::hours(24)))),
        ),
        ("/settings confirm off", set(SettingChange::Confirm(None))),
        (
            "/reglages confirmation non",
            set(SettingChange::Confirm(None)),
        ),
        ("/settings confirm no", set(SettingChange::Confirm(None))),
        (
            "/settings waitlist notify",
            set(SettingChange::Waitlist(WaitlistMode::Notify)),
        ),
        (
            "/reglages attente auto",
            set(SettingChange::Waitlist(WaitlistMode::Auto)),
        ),
        (
            "/role @ana member",
            SetRole {
                member: handle("@ana"),
                role: Role::Member,
            },
        ),
        (
            "/role #12 organiser",
            SetRole {
                member: member(12),
                role: Role::Organiser,
            },
        ),
        (
            "/rôle 12 organisatrice",
            SetRole {
                member: member(12),
                role: Role::Organiser,
            },
        ),
        (
            "/role <@123> admin",
            SetRole {
                member: handle("<@123>"),
                role: Role::Admin,
            },
        ),
        (
            "/verify @ana:example.org",
            Verify {
                member: handle("@ana:example.org"),
            },
        ),
        ("/vérifier #3", Verify { member: member(3) }),
        (
            "/unverify ana",
            Unverify {
                member: handle("ana"),
            },
        ),
        ("/déverifier 3", Unverify { member: member(3) }),
        ("/members", Members { slug: None }),
        (
            "/membres lyon",
            Members {
                slug: Some(s("lyon")),
            },
        ),
    ]);
    check_err(vec![
        ("/section new", missing("section-new", "slug")),
        ("/section new paris", missing("section-new", "name")),
        (
            "/section new paris in france",
            missing("section-new", "name"),
        ),
        (
            "/section new paris \"Paris\" in",
            missing("section-new", "parent"),
        ),
        (
            "/section new paris \"Paris\" centre",
            unexpected("section-new", "centre"),
        ),
        ("/section link", missing("section-link", "slug")),
        ("/section unlink now", unexpected("section-unlink", "now")),
        ("/section a b", unexpected("section", "b")),
        (
            "/settings colour blue",
            invalid("settings", "setting", "colour"),
        ),
        (
            "/settings timezone Mars/Olympus",
            invalid("settings", "timezone", "Mars/Olympus"),
        ),
        ("/settings timezone", missing("settings", "timezone")),
        ("/settings language", missing("settings", "language")),
        (
            "/settings verification maybe",
            invalid("settings", "verification", "maybe"),
        ),
        ("/settings reminders", missing("settings", "reminders")),
        (
            "/settings reminders soon",
            invalid("settings", "reminders", "soon"),
        ),
        (
            "/settings confirm later",
            invalid("settings", "confirm", "later"),
        ),
        (
            "/settings waitlist never",
            invalid("settings", "waitlist", "never"),
        ),
        ("/settings waitlist auto now", unexpected("settings", "now")),
        ("/role", missing("role", "member")),
        ("/role ana", missing("role", "role")),
        ("/role ana king", invalid("role", "role", "king")),
        ("/role #0 admin", invalid("role", "member", "#0")),
        (
            "/role 99999999999999999999 admin",
            invalid("role", "member", "99999999999999999999"),
        ),
        ("/verify", missing("verify", "member")),
    ]);
}

#[test]
fn initiatives() {
    let id = InitiativeId;
    check(vec![
        (
            "/initiative new \"Bike lanes\" on  Main street,\nplease",
            InitiativeNew {
                title: s("Bike lanes"),
                description: s("on  Main street,\nplease"),
            },
        ),
        (
            "/initiative nouvelle « Pistes cyclables » rue de l'Église",
            InitiativeNew {
                title: s("Pistes cyclables"),
                description: s("rue de l'Église"),
            },
        ),
        (
            "/initiative new Bike lanes now",
            InitiativeNew {
                title: s("Bike lanes now"),
                description: s(""),
            },
        ),
        (
            "/initiative new \"Bikes\"",
            InitiativeNew {
                title: s("Bikes"),
                description: s(""),
            },
        ),
        (
            "/initiative new \"Bikes\" \"more\"",
            InitiativeNew {
                title: s("Bikes"),
                description: s("more"),
            },
        ),
        (
            "/initiatives",
            Initiatives {
                filter: InitiativeFilter::Active,
            },
        ),
        (
            "/initiatives all",
            Initiatives {
                filter: InitiativeFilter::All,
            },
        ),
        (
            "/initiatives toutes",
            Initiatives {
                filter: InitiativeFilter::All,
            },
        ),
        (
            "/initiatives mine",
            Initiatives {
                filter: InitiativeFilter::Mine,
            },
        ),
        (
            "/initiatives mes",
            Initiatives {
                filter: InitiativeFilter::Mine,
            },
        ),
        ("/initiative 7", InitiativeShow { id: id(7) }),
        ("/initiative #7", InitiativeShow { id: id(7) }),
        ("/support 7", Support { id: id(7) }),
        ("/soutenir #7", Support { id: id(7) }),
        ("/unsupport 7", Unsupport { id: id(7) }),
        ("/retirer 7", Unsupport { id: id(7) }),
        ("/initiative approve 7", InitiativeApprove { id: id(7) }),
        ("/initiative approuver 7", InitiativeApprove { id: id(7) }),
        (
            "/initiative reject 7",
            InitiativeReject {
                id: id(7),
                reason: None,
            },
        ),
        (
            "/initiative rejeter 7 hors sujet, désolé",
            InitiativeReject {
                id: id(7),
                reason: Some(s("hors sujet, désolé")),
            },
        ),
        (
            "/initiative reject 7 \"duplicate\"",
            InitiativeReject {
                id: id(7),
                reason: Some(s("duplicate")),
            },
        ),
        ("/initiative close 7", InitiativeClose { id: id(7) }),
        ("/initiative fermer 7", InitiativeClose { id: id(7) }),
    ]);
    check_err(vec![
        ("/initiative new", missing("initiative-new", "title")),
        ("/initiative new \"\"", missing("initiative-new", "title")),
        (
            "/initiative new \"Bikes",
            ParseError::UnclosedQuote {
                command: Some("initiative-new"),
            },
        ),
        ("/initiative", missing("initiative", "id")),
        ("/initiative 0", invalid("initiative", "id", "0")),
        ("/initiative -3", invalid("initiative", "id", "-3")),
        ("/initiative #x", invalid("initiative", "id", "#x")),
        ("/initiative 7 more", unexpected("initiative", "more")),
        (
            "/initiatives some",
            invalid("initiatives", "filter", "some"),
        ),
        ("/support", missing("support", "id")),
        ("/support twelve", invalid("support", "id", "twelve")),
        ("/support +12", invalid("support", "id", "+12")),
        ("/initiative approve", missing("initiative-approve", "id")),
        (
            "/initiative close 7 now",
            unexpected("initiative-close", "now"),
        ),
    ]);
}

#[test]
fn event_new() {
    let full = EventDraft {
        place: Some(s("Bar du Coin")),
        duration: Some(Duration::minutes(90)),
        capacity: Some(20),
        initiative: Some(InitiativeId(4)),
        recurrence: Some(Recurrence::Weekly),
        ..draft("Soirée jeux", "demain à 19h")
    };
    check(vec![
        (
            "/event new \"Picnic\" tomorrow 12:00",
            EventNew(draft("Picnic", "tomorrow 12:00")),
        ),
        (
            "/event new Picnic tomorrow   12:00",
            EventNew(draft("Picnic", "tomorrow 12:00")),
        ),
        // `à` before a time stays in the when text; before a quoted word it starts the place.
        (
            "/event new \"Soirée jeux\" demain à 19h at \"Bar du Coin\" for 1h30 cap 20 initiative 4 every week",
            EventNew(full.clone()),
        ),
        (
            "/évènement nouveau “Soirée jeux” demain à 19h à « Bar du Coin » pour 1h30 places 20 initiative #4 chaque semaine",
            EventNew(full.clone()),
        ),
        (
            "/événement nouveau \"Soirée jeux\" demain à 19h lieu Bar du Coin durée 1h30 places 20 initiative 4 toutes les semaines",
            EventNew(full.clone()),
        ),
        (
            "/evenement nouveau \"Soirée jeux\" cap 20 demain à 19h for 90 min at \"Bar du Coin\" initiative 4 hebdo",
            EventNew(full),
        ),
        (
            "/event new \"Rally\" friday 18:30 at \"Town hall\" every month",
            EventNew(EventDraft {
                place: Some(s("Town hall")),
                recurrence: Some(Recurrence::Monthly),
                ..draft("Rally", "friday 18:30")
            }),
        ),
        (
            "/event new \"Rally\" saturday 2pm for 2 h cap 5",
            EventNew(EventDraft {
                duration: Some(Duration::hours(2)),
                capacity: Some(5),
                ..draft("Rally", "saturday 2pm")
            }),
        ),
        // `place` without quotes is part of a French address, and the place.
        (
            "/evenement nouveau Rassemblement samedi 14h place de la République",
            EventNew(EventDraft {
                place: Some(s("place de la République")),
                ..draft("Rassemblement", "samedi 14h")
            }),
        ),
        // A place without quotes after the time.
        (
            "/event new \"Assembly\" friday 10:00 at Bar du coin",
            EventNew(EventDraft {
                place: Some(s("Bar du coin")),
                ..draft("Assembly", "friday 10:00")
            }),
        ),
        (
            "/evenement nouveau AG vendredi 18h à la Bourse du travail",
            EventNew(EventDraft {
                place: Some(s("la Bourse du travail")),
                ..draft("AG", "vendredi 18h")
            }),
        ),
        // Dates as people type them.
        (
            "/event new X 15 décembre 19h30",
            EventNew(draft("X", "15 décembre 19h30")),
        ),
        (
            "/event new X December 15 19:30",
            EventNew(draft("X", "December 15 19:30")),
        ),
        (
            "/event new X dec 15 7pm",
            EventNew(draft("X", "dec 15 7pm")),
        ),
        (
            "/event new X le 3 mars à 18h",
            EventNew(draft("X", "le 3 mars à 18h")),
        ),
        (
            "/event new X 2026-12-15T19:30:00+01:00",
            EventNew(draft("X", "2026-12-15T19:30:00+01:00")),
        ),
        (
            "/event new \"Meet\" at \"Library\" tomorrow 10:00",
            EventNew(EventDraft {
                place: Some(s("Library")),
                ..draft("Meet", "tomorrow 10:00")
            }),
        ),
        (
            "/event new \"at\" \"tomorrow 10:00\"",
            EventNew(draft("at", "tomorrow 10:00")),
        ),
        ("/event_new \"X\" in 2h", EventNew(draft("X", "in 2h"))),
    ]);
    check_err(vec![
        ("/event new", missing("event-new", "title")),
        (
            "/event new \"\" tomorrow 10:00",
            missing("event-new", "title"),
        ),
        ("/event new \"Picnic\"", missing("event-new", "when")),
        (
            "/event new \"Picnic\" at \"Park\"",
            missing("event-new", "when"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 cap 0",
            invalid("event-new", "capacity", "0"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 cap lots",
            invalid("event-new", "capacity", "lots"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 cap",
            missing("event-new", "capacity"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 for ever",
            invalid("event-new", "duration", "ever"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 for",
            missing("event-new", "duration"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 every day",
            invalid("event-new", "recurrence", "day"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 initiative x",
            invalid("event-new", "initiative", "x"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 lieu",
            missing("event-new", "place"),
        ),
        (
            "/event new \"Picnic\" tomorrow 12:00 cap 3 cap 4",
            unexpected("event-new", "cap 4"),
        ),
        (
            "/event new \"Picnic\" tomorrow at \"Park\" 12:00",
            unexpected("event-new", "12:00"),
        ),
        (
            "/event new \"Picnic tomorrow",
            ParseError::UnclosedQuote {
                command: Some("event-new"),
            },
        ),
    ]);
}

#[test]
fn events_and_rsvp() {
    let id = EventId;
    check(vec![
        (
            "/events",
            Events {
                range: EventRange::Upcoming,
            },
        ),
        (
            "/événements",
            Events {
                range: EventRange::Upcoming,
            },
        ),
        (
            "/events week",
            Events {
                range: EventRange::Week,
            },
        ),
        (
            "/evenements semaine",
            Events {
                range: EventRange::Week,
            },
        ),
        (
            "/events month",
            Events {
                range: EventRange::Month,
            },
        ),
        (
            "/evenements mois",
            Events {
                range: EventRange::Month,
            },
        ),
        (
            "/events all",
            Events {
                range: EventRange::All,
            },
        ),
        (
            "/evenements tous",
            Events {
                range: EventRange::All,
            },
        ),
        ("/event 12", EventShow { id: id(12) }),
        ("/évènement #12", EventShow { id: id(12) }),
        (
            "/event edit 12 title New title",
            edit(12, Edit::Title(s("New title"))),
        ),
        (
            "/event edit 12 title \"New  title\"",
            edit(12, Edit::Title(s("New  title"))),
        ),
        (
            "/evenement modifier 12 titre Nouveau",
            edit(12, Edit::Title(s("Nouveau"))),
        ),
        (
            "/event edit 12 when friday 19:00",
            edit(12, Edit::When(s("friday 19:00"))),
        ),
        (
            "/evenement modifier 12 date vendredi 19h",
            edit(12, Edit::When(s("vendredi 19h"))),
        ),
        (
            "/evenement modifier 12 quand demain 19h",
            edit(12, Edit::When(s("demain 19h"))),
        ),
        (
            "/event edit 12 place \"Bar\" upstairs",
            edit(12, Edit::Place(s("Bar upstairs"))),
        ),
        (
            "/evenement modifier 12 lieu Salle 3",
            edit(12, Edit::Place(s("Salle 3"))),
        ),
        ("/event edit 12 cap 30", edit(12, Edit::Capacity(Some(30)))),
        ("/event edit 12 cap none", edit(12, Edit::Capacity(None))),
        (
            "/evenement modifier 12 places aucune",
            edit(12, Edit::Capacity(None)),
        ),
        (
            "/event edit 12 for 2h",
            edit(12, Edit::Duration(Duration::hours(2))),
        ),
        (
            "/evenement modifier 12 durée 45 min",
            edit(12, Edit::Duration(Duration::minutes(45))),
        ),
        (
            "/event cancel 12",
            EventCancel {
                id: id(12),
                reason: None,
            },
        ),
        (
            "/evenement annuler 12 il pleut",
            EventCancel {
                id: id(12),
                reason: Some(s("il pleut")),
            },
        ),
        (
            "/event annuler 12",
            EventCancel {
                id: id(12),
                reason: None,
            },
        ),
        ("/event approve 12", EventApprove { id: id(12) }),
        ("/evenement approuver 12", EventApprove { id: id(12) }),
        (
            "/event reject 12",
            EventReject {
                id: id(12),
                reason: None,
            },
        ),
        (
            "/evenement rejeter 12 doublon",
            EventReject {
                id: id(12),
                reason: Some(s("doublon")),
            },
        ),
        ("/rsvp 12 yes", rsvp(12, RsvpAnswer::Yes, 0)),
        ("/rsvp #12 going +2", rsvp(12, RsvpAnswer::Yes, 2)),
        ("/rsvp 12 y", rsvp(12, RsvpAnswer::Yes, 0)),
        ("/rsvp 12 maybe", rsvp(12, RsvpAnswer::Maybe, 0)),
        ("/rsvp 12 no", rsvp(12, RsvpAnswer::No, 0)),
        ("/rsvp 12 n", rsvp(12, RsvpAnswer::No, 0)),
        ("/rsvp 12 oui +20", rsvp(12, RsvpAnswer::Yes, 20)),
        ("/rsvp 12 OUI 1", rsvp(12, RsvpAnswer::Yes, 1)),
        ("/rsvp 12 peutêtre", rsvp(12, RsvpAnswer::Maybe, 0)),
        ("/rsvp 12 peut-être +1", rsvp(12, RsvpAnswer::Maybe, 1)),
        ("/rsvp 12 peutetre", rsvp(12, RsvpAnswer::Maybe, 0)),
        ("/rsvp 12 peut être", rsvp(12, RsvpAnswer::Maybe, 0)),
        ("/rsvp 12 non", rsvp(12, RsvpAnswer::No, 0)),
        ("/attendees 12", Attendees { id: id(12) }),
        ("/participants 12", Attendees { id: id(12) }),
        ("/nudge 12", Nudge { id: id(12) }),
        ("/relancer 12", Nudge { id: id(12) }),
        (
            "/checkin 12 @ana",
            Checkin {
                id: id(12),
                members: vec![handle("@ana")],
            },
        ),
        (
            "/pointer 12 #5",
            Checkin {
                id: id(12),
                members: vec![member(5)],
            },
        ),
        (
            "/check-in 12 5",
            Checkin {
                id: id(12),
                members: vec![member(5)],
            },
        ),
        (
            "/checkin 12 5 @ana #7",
            Checkin {
                id: id(12),
                members: vec![member(5), handle("@ana"), member(7)],
            },
        ),
        ("/event stop 4", EventStop { id: id(4) }),
        ("/evenement arreter 4", EventStop { id: id(4) }),
        ("/event cancel 4 series", EventStop { id: id(4) }),
        ("/evenement annuler 4 série", EventStop { id: id(4) }),
        ("/calendar", Calendar { me: false }),
        ("/calendar me", Calendar { me: true }),
        ("/calendrier moi", Calendar { me: true }),
        ("/confirm 12", Confirm { id: id(12) }),
        ("/confirmer 12", Confirm { id: id(12) }),
    ]);
    check_err(vec![
        ("/event", missing("event", "id")),
        ("/event 12 now", unexpected("event", "now")),
        (
            "/event 9223372036854775808",
            invalid("event", "id", "9223372036854775808"),
        ),
        ("/event edit", missing("event-edit", "id")),
        ("/event edit 12", missing("event-edit", "field")),
        (
            "/event edit 12 colour red",
            invalid("event-edit", "field", "colour"),
        ),
        ("/event edit 12 title", missing("event-edit", "title")),
        (
            "/event edit 12 cap 0",
            invalid("event-edit", "capacity", "0"),
        ),
        (
            "/event edit 12 for a while",
            invalid("event-edit", "duration", "a while"),
        ),
        ("/event cancel", missing("event-cancel", "id")),
        ("/rsvp", missing("rsvp", "id")),
        ("/rsvp 12", missing("rsvp", "answer")),
        (
            "/rsvp 12 perhaps-not",
            invalid("rsvp", "answer", "perhaps-not"),
        ),
        ("/rsvp 12 yes +21", invalid("rsvp", "guests", "+21")),
        ("/rsvp 12 yes -1", invalid("rsvp", "guests", "-1")),
        ("/rsvp 12 yes +1 please", unexpected("rsvp", "please")),
        ("/rsvp yes 12", invalid("rsvp", "id", "yes")),
        ("/checkin 12", missing("checkin", "member")),
        ("/calendar everyone", unexpected("calendar", "everyone")),
        ("/events soon", invalid("events", "range", "soon")),
    ]);
}

#[test]
fn announcements_and_schedules() {
    check(vec![
        (
            "/announce Meeting tonight!",
            announce(None, None, false, "Meeting tonight!"),
        ),
        (
            "/annoncer Réunion ce soir",
            announce(None, None, false, "Réunion ce soir"),
        ),
        (
            "/annonce Réunion ce soir",
            announce(None, None, false, "Réunion ce soir"),
        ),
        // The text is kept as typed: spacing, line breaks, quotes, a stray quote.
        (
            "/announce Bring  \"snacks\"\nand 5\" pizzas",
            announce(None, None, false, "Bring  \"snacks\"\nand 5\" pizzas"),
        ),
        (
            "/announce \"to all: hello\"",
            announce(None, None, false, "to all: hello"),
        ),
        (
            "/announce “Big news” today",
            announce(None, None, false, "“Big news” today"),
        ),
        (
            "/announce to paris Meeting",
            announce(None, Some("paris"), false, "Meeting"),
        ),
        (
            "/announce all Meeting",
            announce(None, None, true, "Meeting"),
        ),
        (
            "/announce to paris all Meeting",
            announce(None, Some("paris"), true, "Meeting"),
        ),
        (
            "/annoncer vers lyon tous Réunion",
            announce(None, Some("lyon"), true, "Réunion"),
        ),
        (
            "/annoncer pour lyon toutes Réunion",
            announce(None, Some("lyon"), true, "Réunion"),
        ),
        // The when text ends at `to`/`vers`/`pour`/`all`/`tous`/`toutes` or a quoted word...
        (
            "/announce at friday 18:00 to paris all Meeting",
            announce(Some("friday 18:00"), Some("paris"), true, "Meeting"),
        ),
        (
            "/announce at 2026-12-01 19:30 \"Meeting\"",
            announce(Some("2026-12-01 19:30"), None, false, "Meeting"),
        ),
        (
            "/annoncer à demain 19h tous Réunion",
            announce(Some("demain 19h"), None, true, "Réunion"),
        ),
        // ...and within that, at the longest part that reads as a time.
        (
            "/announce at friday 18:00 Meeting at the bar",
            announce(Some("friday 18:00"), None, false, "Meeting at the bar"),
        ),
        (
            "/annoncer le 12/03 à 19h Réunion au local",
            announce(Some("12/03 à 19h"), None, false, "Réunion au local"),
        ),
        (
            "/announce at in 2h Doors open",
            announce(Some("in 2h"), None, false, "Doors open"),
        ),
        // A day with no time reads as one, for the engine to ask for the time.
        (
            "/annoncer à demain tout le monde",
            announce(Some("demain"), None, false, "tout le monde"),
        ),
        // Ordinary sentences starting with a keyword stay text.
        (
            "/annoncer Le local est fermé",
            announce(None, None, false, "Le local est fermé"),
        ),
        (
            "/annoncer À mon avis, venez",
            announce(None, None, false, "À mon avis, venez"),
        ),
        (
            "/announce To everyone: hi",
            announce(None, None, false, "To everyone: hi"),
        ),
        (
            "/announce to all members: hi",
            announce(None, None, false, "to all members: hi"),
        ),
        (
            "/annoncer Tous les membres sont invités",
            announce(None, None, false, "Tous les membres sont invités"),
        ),
        (
            "/announce cancel the picnic",
            announce(None, None, false, "cancel the picnic"),
        ),
        ("/announce cancel 3", AnnounceCancel { id: 3 }),
        ("/annonce annuler #3", AnnounceCancel { id: 3 }),
        ("/annoncer annuler 3", AnnounceCancel { id: 3 }),
        ("/announcements", Announcements),
        ("/annonces", Announcements),
        (
            "/schedule digest \"0 9 * * MON\"",
            ScheduleDigest {
                cron: s("0 9 * * MON"),
            },
        ),
        (
            "/programmer résumé « 0 9 * * 1 »",
            ScheduleDigest {
                cron: s("0 9 * * 1"),
            },
        ),
        (
            "/programmer digest 0  9 * * 1",
            ScheduleDigest {
                cron: s("0 9 * * 1"),
            },
        ),
        ("/schedules", Schedules),
        ("/programmes", Schedules),
        ("/unschedule 2", Unschedule { id: ScheduleId(2) }),
        ("/déprogrammer #2", Unschedule { id: ScheduleId(2) }),
        ("/stats", Stats { slug: None }),
        (
            "/statistiques lyon",
            Stats {
                slug: Some(s("lyon")),
            },
        ),
    ]);
    check_err(vec![
        ("/announce", missing("announce", "text")),
        (
            "/section new bad slug \"x\"",
            unexpected("section-new", "\"x\""),
        ),
        ("/event new tomorrow 10:00", missing("event-new", "title")),
        (
            "/event new \"Assembly\" friday 10:00 with cake",
            unexpected("event-new", "with cake"),
        ),
        ("/event new 2026-12-01 19:30", missing("event-new", "title")),
        (
            "/evenement nouveau demain 19h",
            missing("event-new", "title"),
        ),
        ("/announce to paris", missing("announce", "text")),
        ("/announce to paris all", missing("announce", "text")),
        ("/announce at friday 18:00", missing("announce", "text")),
        (
            "/announce at friday 18:00 to paris",
            missing("announce", "text"),
        ),
        // Refused rather than sent at once: the organiser meant a time.
        (
            "/annoncer le 1er mai, tous dans la rue",
            invalid("announce", "when", "1er mai,"),
        ),
        // Two readings of where the time ends: the text must be quoted.
        ("/announce at 12/03 19h 30 volunteers needed", invalid("announce", "when-split", "12/03 19h 30 volunteers needed")),
        // A misspelt time never falls back to "now".
        (
            "/announce at tomorow 09:00 Meeting",
            invalid("announce", "when", "tomorow 09:00 Meeting"),
        ),
        (
            "/announce at yesterday 09:00 Meeting",
            invalid("announce", "when", "yesterday 09:00 Meeting"),
        ),
        (
            "/announce at the bar tonight",
            invalid("announce", "when", "the bar tonight"),
        ),
        (
            "/annoncer à demian 19h réunion",
            invalid("announce", "when", "demian 19h réunion"),
        ),
        ("/announce cancel", missing("announce-cancel", "id")),
        (
            "/announce cancel 3 now",
            unexpected("announce-cancel", "now"),
        ),
        ("/announcements now", unexpected("announcements", "now")),
        ("/schedule", missing("schedule", "cron")),
        ("/schedule digest", missing("schedule", "cron")),
        (
            "/schedule digest \"0 9 * *\"",
            invalid("schedule", "cron", "0 9 * *"),
        ),
        ("/schedule weekly", unknown("schedule weekly", &[])),
        ("/unschedule", missing("unschedule", "id")),
        ("/stats a b", unexpected("stats", "b")),
    ]);
}

#[test]
fn unknown_commands_suggest() {
    check_err(vec![
        ("/evnt 3", unknown("evnt", &["event", "events"])),
        (
            "/event nwe \"x\" tomorrow 10:00",
            unknown("event nwe", &["event new"]),
        ),
        (
            "/Évènement nouvo",
            unknown("Évènement nouvo", &["evenement nouveau"]),
        ),
        (
            "/initiative aprove 3",
            unknown(
                "initiative aprove",
                &["initiative approve", "initiative approuver"],
            ),
        ),
        ("/ёлка", unknown("ёлка", &[])),
    ]);
    assert_eq!(suggest("hlep"), ["help"]);
    assert_eq!(
        suggest("rejoidre").first().map(String::as_str),
        Some("rejoindre")
    );
    assert_eq!(
        suggest("anonces").first().map(String::as_str),
        Some("annonces")
    );
    assert_eq!(
        suggest("shedule").first().map(String::as_str),
        Some("schedule")
    );
    assert!(suggest("xyzzy").is_empty());
    assert!(suggest("important").is_empty());
    assert!(suggest("").is_empty());
    assert!(suggest("evenement").len() <= 3);
}

#[test]
fn every_name_resolves_to_its_key() {
    for key in COMMAND_KEYS {
        let (en, fr) = command_names(key).unwrap_or_else(|| panic!("no names for {key}"));
        for name in [en, fr] {
            let line = format!("/{name}");
            let got = match parse(&line, BOTS) {
                Some(Ok(c)) => Some(c.key()),
                Some(Err(e)) => e.command(),
                None => None,
            };
            assert_eq!(got, Some(*key), "{line}");
        }
    }
    assert_eq!(
        command_names("event-new"),
        Some(("event new", "evenement nouveau"))
    );
    assert_eq!(command_names("nope"), None);
}

#[test]
fn tokenize_public() {
    assert_eq!(
        tokenize("a « b c » “d e” f").unwrap(),
        ["a", "b c", "d e", "f"]
    );
    assert_eq!(tokenize("l'ami ‘x’").unwrap(), ["l'ami", "‘x’"]);
    assert_eq!(
        tokenize("a \"b"),
        Err(ParseError::UnclosedQuote { command: None })
    );
    assert_eq!(tokenize("").unwrap(), Vec::<String>::new());
}

#[test]
fn long_values_are_cut_in_errors() {
    let line = format!("/event 12 {}", "x".repeat(500));
    let ParseError::Unexpected { extra, .. } = err(&line) else {
        panic!("{line}")
    };
    assert_eq!(extra.chars().count(), 81);
}

const VOCAB: &[&str] = &[
    "/",
    "!",
    "@MusterBot",
    "@other",
    "muster",
    "event",
    "évènement",
    "new",
    "nouveau",
    "edit",
    "cancel",
    "annuler",
    "initiative",
    "section",
    "announce",
    "annoncer",
    "at",
    "à",
    "le",
    "to",
    "all",
    "tous",
    "les",
    "for",
    "cap",
    "every",
    "lieu",
    "place",
    "rsvp",
    "yes",
    "peut",
    "être",
    "+3",
    "#12",
    "12",
    "0",
    "-1",
    "99999999999999999999",
    "demain",
    "19h",
    "friday",
    "18:00",
    "\"",
    "“",
    "”",
    "«",
    "»",
    "„",
    "‟",
    "\"x y\"",
    "« a »",
    "settings",
    "confirm",
    "off",
    "reminders",
    "24h,1h",
    "timezone",
    "Europe/Paris",
    "schedule",
    "digest",
    "* * * * *",
    "help",
    "\n",
    "\u{a0}",
    "e\u{301}",
    "😀",
];

proptest! {
    #[test]
    fn never_panics_on_anything(line in any::<String>()) {
        let _ = parse(&line, BOTS);
        let _ = tokenize(&line);
        let _ = suggest(&line);
    }

    #[test]
    fn never_panics_on_commands(body in "\\PC{0,200}") {
        for prefix in ["/", "!", "/muster ", "/event ", "/announce at ", "/event new \"t\" "] {
            let _ = parse(&format!("{prefix}{body}"), BOTS);
        }
    }

    #[test]
    fn never_panics_on_quotes_and_prefixes(
        chars in prop::collection::vec(
            prop::sample::select(vec!['/', '!', '"', '“', '”', '«', '»', '„', '‟', '\'', '’', ' ', '\u{a0}', '#', '@', '+', 'a', 'à', '1', '\n']),
            0..300,
        )
    ) {
        let line: String = chars.into_iter().collect();
        let _ = parse(&line, BOTS);
        let _ = tokenize(&line);
    }

    #[test]
    fn never_panics_on_vocabulary(words in prop::collection::vec(prop::sample::select(VOCAB), 0..16), glue in "[ /!]") {
        let _ = parse(&format!("{glue}{}", words.join(" ")), BOTS);
        let _ = parse(&words.concat(), BOTS);
    }

    #[test]
    fn huge_inputs_are_refused(n in 4001usize..20_000, c in any::<char>()) {
        let line = format!("/announce {}", c.to_string().repeat(n));
        prop_assert_eq!(parse(&line, BOTS), Some(Err(ParseError::TooLong)));
    }
}
