//! The words of the language, folded (see [`fold`](super::fold)): command names in English
//! and French with their common spellings, and the values commands accept.

use crate::command::{EventRange, InitiativeFilter};
use crate::domain::{Language, Policy, Role, RsvpAnswer, WaitlistMode};

/// Words naming a command on their own.
#[rustfmt::skip]
pub(super) const LEAVES: &[(&str, &[&str])] = &[
    ("help", &["help", "aide"]),
    ("start", &["start", "demarrer"]),
    ("join", &["join", "rejoindre"]),
    ("leave", &["leave", "quitter"]),
    ("whoami", &["whoami", "moi", "quisuisje"]),
    ("link", &["link", "lier"]),
    ("mydata", &["mydata", "mesdonnees"]),
    ("forgetme", &["forgetme", "oubliemoi"]),
    ("privacy", &["privacy", "confidentialite"]),
    ("language", &["language", "langue"]),
    ("reminders", &["reminders", "rappels"]),
    ("sections", &["sections"]),
    ("settings", &["settings", "reglages", "parametres"]),
    ("role", &["role"]),
    ("verify", &["verify", "verifier"]),
    ("unverify", &["unverify", "deverifier"]),
    ("members", &["members", "membres"]),
    ("initiatives", &["initiatives"]),
    ("support", &["support", "soutenir"]),
    ("unsupport", &["unsupport", "retirer"]),
    ("events", &["events", "evenements"]),
    ("rsvp", &["rsvp", "repondre"]),
    ("attendees", &["attendees", "participants"]),
    ("nudge", &["nudge", "relancer"]),
    ("checkin", &["checkin", "pointer"]),
    ("calendar", &["calendar", "calendrier"]),
    ("confirm", &["confirm", "confirmer"]),
    ("announcements", &["announcements", "annonces"]),
    ("schedules", &["schedules", "programmes"]),
    ("unschedule", &["unschedule", "deprogrammer"]),
    ("stats", &["stats", "statistiques"]),
    ("pending", &["pending", "enattente", "attente", "avalider"]),
];

/// A command word followed by a sub-command (`event new`) or an argument (`event 12`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    Section,
    Initiative,
    Event,
    Announce,
    Schedule,
}

impl Group {
    /// The command meant when no sub-command follows: `event 12`, `section paris`.
    pub(super) fn default_key(self) -> &'static str {
        match self {
            Group::Section => "section",
            Group::Initiative => "initiative",
            Group::Event => "event",
            Group::Announce => "announce",
            Group::Schedule => "schedule",
        }
    }
}

pub(super) const GROUPS: &[(Group, &[&str])] = &[
    (Group::Section, &["section"]),
    (Group::Initiative, &["initiative"]),
    (Group::Event, &["event", "evenement"]),
    (Group::Announce, &["announce", "annoncer", "annonce"]),
    (Group::Schedule, &["schedule", "programmer"]),
];

/// Sub-command words in either language, whatever the language of the group word
/// (`initiative approve` and `initiative approuver` alike).
#[rustfmt::skip]
const SUBS: &[(Group, &str, &[&str])] = &[
    (Group::Section, "section-new", &["new", "nouvelle", "nouveau", "creer"]),
    (Group::Section, "section-link", &["link", "lier"]),
    (Group::Section, "section-unlink", &["unlink", "delier"]),
    (Group::Initiative, "initiative-new", &["new", "nouvelle", "nouveau", "creer"]),
    (Group::Initiative, "initiative-approve", &["approve", "approuver", "valider"]),
    (Group::Initiative, "initiative-reject", &["reject", "rejeter", "refuser"]),
    (Group::Initiative, "initiative-close", &["close", "fermer", "cloturer", "clore"]),
    (Group::Event, "event-new", &["new", "nouveau", "nouvel", "nouvelle", "creer"]),
    (Group::Event, "event-edit", &["edit", "modifier"]),
    (Group::Event, "event-cancel", &["cancel", "annuler"]),
    (Group::Event, "event-stop", &["stop", "arreter", "terminer", "finir"]),
    (Group::Event, "event-approve", &["approve", "approuver", "valider"]),
    (Group::Event, "event-reject", &["reject", "rejeter", "refuser"]),
    (Group::Announce, "announce-cancel", &["cancel", "annuler"]),
    (Group::Announce, "announce-send", &["send", "envoyer"]),
    (Group::Schedule, "schedule", &["digest", "resume"]),
];

pub(super) fn leaf(folded: &str) -> Option<&'static str> {
    LEAVES
        .iter()
        .find(|(_, words)| words.contains(&folded))
        .map(|&(key, _)| key)
}

pub(super) fn group_of(folded: &str) -> Option<Group> {
    GROUPS
        .iter()
        .find(|(_, words)| words.contains(&folded))
        .map(|&(group, _)| group)
}

pub(super) fn sub_keys(group: Group) -> impl Iterator<Item = &'static str> {
    SUBS.iter()
        .filter(move |(g, _, _)| *g == group)
        .map(|&(_, key, _)| key)
}

pub(super) fn sub_of(group: Group, folded: &str) -> Option<&'static str> {
    SUBS.iter()
        .find(|(g, _, words)| *g == group && words.contains(&folded))
        .map(|&(_, key, _)| key)
}

#[rustfmt::skip]
pub(super) const PRIVACY: &[(&str, bool)] = &[
    ("public", true), ("publique", true),
    ("private", false), ("prive", false), ("privee", false),
];

#[rustfmt::skip]
pub(super) const SWITCH: &[(&str, bool)] = &[
    ("on", true), ("yes", true), ("oui", true), ("active", true), ("activer", true),
    ("off", false), ("no", false), ("non", false), ("desactiver", false),
];

#[rustfmt::skip]
pub(super) const LANGUAGES: &[(&str, Language)] = &[
    ("en", Language::En), ("english", Language::En), ("anglais", Language::En),
    ("fr", Language::Fr), ("french", Language::Fr), ("francais", Language::Fr),
];

#[rustfmt::skip]
pub(super) const ROLES: &[(&str, Role)] = &[
    ("member", Role::Member), ("membre", Role::Member),
    ("organiser", Role::Organiser), ("organizer", Role::Organiser),
    ("organisateur", Role::Organiser), ("organisatrice", Role::Organiser),
    ("admin", Role::Admin), ("administrateur", Role::Admin), ("administratrice", Role::Admin),
];

#[rustfmt::skip]
pub(super) const FILTERS: &[(&str, InitiativeFilter)] = &[
    ("active", InitiativeFilter::Active), ("actives", InitiativeFilter::Active),
    ("all", InitiativeFilter::All), ("tout", InitiativeFilter::All),
    ("tous", InitiativeFilter::All), ("toutes", InitiativeFilter::All),
    ("mine", InitiativeFilter::Mine), ("mes", InitiativeFilter::Mine),
    ("miennes", InitiativeFilter::Mine),
];

#[rustfmt::skip]
pub(super) const RANGES: &[(&str, EventRange)] = &[
    ("upcoming", EventRange::Upcoming), ("avenir", EventRange::Upcoming),
    ("week", EventRange::Week), ("semaine", EventRange::Week),
    ("month", EventRange::Month), ("mois", EventRange::Month),
    ("all", EventRange::All), ("tout", EventRange::All),
    ("tous", EventRange::All), ("toutes", EventRange::All),
];

#[rustfmt::skip]
pub(super) const POLICIES: &[(&str, Policy)] = &[
    ("required", Policy::Required), ("requise", Policy::Required),
    ("requis", Policy::Required), ("obligatoire", Policy::Required),
    ("open", Policy::Open), ("ouverte", Policy::Open),
    ("ouvert", Policy::Open), ("libre", Policy::Open),
];

#[rustfmt::skip]
pub(super) const WAITLIST: &[(&str, WaitlistMode)] = &[
    ("auto", WaitlistMode::Auto), ("automatic", WaitlistMode::Auto),
    ("automatique", WaitlistMode::Auto),
    ("notify", WaitlistMode::Notify), ("notifier", WaitlistMode::Notify),
    ("prevenir", WaitlistMode::Notify),
];

#[rustfmt::skip]
pub(super) const ANSWERS: &[(&str, RsvpAnswer)] = &[
    ("yes", RsvpAnswer::Yes), ("y", RsvpAnswer::Yes), ("going", RsvpAnswer::Yes),
    ("oui", RsvpAnswer::Yes), ("o", RsvpAnswer::Yes),
    ("maybe", RsvpAnswer::Maybe), ("perhaps", RsvpAnswer::Maybe),
    ("peutetre", RsvpAnswer::Maybe),
    ("no", RsvpAnswer::No), ("n", RsvpAnswer::No), ("non", RsvpAnswer::No),
];

/// `cap none`, `confirm off`.
#[rustfmt::skip]
pub(super) const NONE_WORDS: &[&str] = &[
    "none", "off", "no", "non", "aucun", "aucune", "unlimited", "illimite", "illimitee",
];
