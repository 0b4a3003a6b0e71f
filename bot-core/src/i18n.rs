//! Replies in English and French through fluent. The texts live in
//! `locales/<lang>/muster.ftl` and are compiled into the binary.

use crate::domain::Language;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

const EN: &str = include_str!("../locales/en/muster.ftl");
const FR: &str = include_str!("../locales/fr/muster.ftl");

pub struct Localizer {
    en: FluentBundle<FluentResource>,
    fr: FluentBundle<FluentResource>,
}

/// Arguments of a message, built with [`args!`](crate::args).
pub type Args = FluentArgs<'static>;

/// `args!("name" => value, ...)` builds fluent arguments; numbers stay
/// numbers so plural rules apply.
#[macro_export]
macro_rules! args {
    ($($key:literal => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut a = $crate::i18n::Args::new();
        $( a.set($key, $crate::i18n::arg($value)); )*
        a
    }};
}

/// Turns a value into an owned fluent value.
pub fn arg<T: IntoArg>(value: T) -> FluentValue<'static> {
    value.into_arg()
}

pub trait IntoArg {
    fn into_arg(self) -> FluentValue<'static>;
}

impl IntoArg for String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}
impl IntoArg for &String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}
impl IntoArg for &str {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.to_string())
    }
}
macro_rules! numeric_arg {
    ($($t:ty),*) => {$(
        impl IntoArg for $t {
            fn into_arg(self) -> FluentValue<'static> { FluentValue::from(self as f64) }
        }
    )*};
}
numeric_arg!(i64, u32, usize, i32, u64);

fn bundle(lang: &str, source: &'static str) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("static language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) show up as boxes in some chat clients.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, errors)| panic!("invalid {lang} messages: {errors:?}"));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("duplicate {lang} messages: {errors:?}"));
    bundle
}

impl Default for Localizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Localizer {
    /// Loads the built-in messages; a test guarantees they parse.
    pub fn new() -> Self {
        Localizer {
            en: bundle("en", EN),
            fr: bundle("fr", FR),
        }
    }

    fn bundle(&self, lang: Language) -> &FluentBundle<FluentResource> {
        match lang {
            Language::En => &self.en,
            Language::Fr => &self.fr,
        }
    }

    pub fn has(&self, lang: Language, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// The message `id` in `lang`, falling back to English, then to the id
    /// itself so a missing text is visible rather than silent.
    pub fn text(&self, lang: Language, id: &str, args: Option<&Args>) -> String {
        for candidate in [lang, Language::En] {
            let bundle = self.bundle(candidate);
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(id, ?errors, "message formatted with errors");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(id, "missing message");
        id.to_string()
    }

    /// Every message id in a language, for completeness tests.
    pub fn ids(lang: Language) -> Vec<String> {
        let source = match lang {
            Language::En => EN,
            Language::Fr => FR,
        };
        source
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::COMMAND_KEYS;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_define_the_same_messages() {
        let en: BTreeSet<String> = Localizer::ids(Language::En).into_iter().collect();
        let fr: BTreeSet<String> = Localizer::ids(Language::Fr).into_iter().collect();
        assert!(
            en.len() > 100,
            "expected the full catalogue, got {}",
            en.len()
        );
        let missing_fr: Vec<_> = en.difference(&fr).collect();
        let missing_en: Vec<_> = fr.difference(&en).collect();
        assert!(missing_fr.is_empty(), "missing in fr: {missing_fr:?}");
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
    }

    #[test]
    fn every_command_has_usage_and_help_in_both_languages() {
        let l = Localizer::new();
        for lang in [Language::En, Language::Fr] {
            for key in COMMAND_KEYS {
                assert!(
                    l.has(lang, &format!("usage-{key}")),
                    "usage-{key} in {lang}"
                );
                assert!(l.has(lang, &format!("help-{key}")), "help-{key} in {lang}");
            }
        }
    }

    #[test]
    fn arguments_are_filled_without_isolation_marks() {
        let l = Localizer::new();
        let text = l.text(
            Language::Fr,
            "join-done",
            Some(&crate::args!("name" => "Paris 11")),
        );
        assert_eq!(text, "Bienvenue dans Paris 11 !");
        let text = l.text(
            Language::En,
            "error-no-room",
            Some(&crate::args!("left" => 3u32)),
        );
        assert_eq!(
            text,
            "Not enough places for more guests: 3 left. You keep your place as it was."
        );
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(
            Localizer::new().text(Language::Fr, "no-such-message", None),
            "no-such-message"
        );
    }

    /// Each message's source text, its continuation lines (selector
    /// variants) included, by id.
    fn sources(lang: Language) -> Vec<(String, String)> {
        let source = match lang {
            Language::En => EN,
            Language::Fr => FR,
        };
        let mut out: Vec<(String, String)> = Vec::new();
        let mut in_message = false;
        for line in source.lines() {
            if line.starts_with(|c: char| c.is_ascii_lowercase())
                && let Some((id, rest)) = line.split_once(" =")
            {
                out.push((id.trim().to_string(), rest.to_string()));
                in_message = true;
            } else if in_message && line.starts_with(' ') && !line.trim().is_empty() {
                let last = out.last_mut().expect("in a message");
                last.1.push('\n');
                last.1.push_str(line);
            } else {
                in_message = false;
            }
        }
        out
    }

    /// Every variable a message uses set to a neutral text, so that only
    /// the variables a test sets are numbers.
    fn neutral_args(source: &str) -> Args {
        let mut args = Args::new();
        for part in source.split('$').skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            args.set(name, FluentValue::from("x"));
        }
        args
    }

    /// `fragment` occurs as whole words: "1 membre" is not in "1 membres".
    fn has_words(text: &str, fragment: &str) -> bool {
        text.match_indices(fragment).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + fragment.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric())
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '·')
        })
    }

    /// Prose without `code` spans, which keep the command language as typed.
    fn prose(source: &str) -> String {
        // `{" "}` is how Fluent writes a leading space, not a quote.
        source
            .replace("{\" \"}", " ")
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, part)| part)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What breaks French typography in a message's source: a missing space
    /// before `: ; ! ?` or inside « », straight or English quotes, and
    /// « tu » where the bot says « vous ».
    fn typography_faults(source: &str) -> Vec<&'static str> {
        let spaces = [' ', '\u{a0}', '\u{202f}'];
        let prose = prose(source);
        let text: Vec<char> = prose.chars().collect();
        let mut faults = Vec::new();
        for (i, &c) in text.iter().enumerate() {
            let before = if i > 0 { text[i - 1] } else { ' ' };
            let after = text.get(i + 1).copied().unwrap_or(' ');
            let fault = match c {
                // 19:30 and https:// are not prose.
                ':' if before.is_ascii_digit() && after.is_ascii_digit() => None,
                ':' if after == '/' => None,
                ':' | ';' | '!' | '?' if !spaces.contains(&before) => {
                    Some("a space before : ; ! ?")
                }
                '«' if !spaces.contains(&after) => Some("a space after «"),
                '»' if !spaces.contains(&before) => Some("a space before »"),
                '"' | '“' | '”' => Some("« » quotes"),
                _ => None,
            };
            faults.extend(fault);
        }
        let familiar = ["tu", "toi", "ton", "ta", "tes", "tape", "écris"];
        if prose
            .split(|c: char| !c.is_alphabetic())
            .any(|w| familiar.contains(&w.to_lowercase().as_str()))
        {
            faults.push("« vous », not « tu »");
        }
        faults
    }

    #[test]
    fn the_typography_check_sees_what_it_should() {
        for bad in [
            "Motif: { $reason }",
            "{ $name }: { $count }",
            "Venez-vous ?{ $x }; oui",
            "Bienvenue !  et merci!",
            "Vous venez à «{ $title } ».",
            "Vous venez à \"{ $title }\".",
            "Tape /aide pour voir les commandes.",
        ] {
            assert!(!typography_faults(bad).is_empty(), "{bad}");
        }
        for good in [
            "Motif : { $reason }",
            "À 19:30, voir https://example.org ; écrivez `a:b` ou `/rsvp 1 oui!`.",
            "Vous venez à « { $title } » ?",
            "{ $x ->\n    [none] {\" \"}Écrivez `Europe/Paris`.\n   *[other] Tapez /aide\n}",
        ] {
            assert_eq!(typography_faults(good), Vec::<&str>::new(), "{good}");
        }
    }

    #[test]
    fn french_prose_follows_french_typography() {
        let mut faults = Vec::new();
        for (id, source) in sources(Language::Fr) {
            // Usage lines are the command language itself.
            if id.starts_with("usage-") {
                continue;
            }
            for rule in typography_faults(&source) {
                faults.push(format!("{id}: {rule}: {source}"));
            }
        }
        assert!(faults.is_empty(), "{faults:#?}");
    }

    /// `(language, id, variable, text for 1, for 2, for 0)`.
    #[rustfmt::skip]
    const PLURALS: &[(Language, &str, &str, &str, &str, &str)] = &[
        (Language::En, "members-head", "count", "1 member", "2 members", "0 members"),
        (Language::En, "sections-line", "members", "1 member", "2 members", "0 members"),
        (Language::En, "section-details", "members", "1 member", "2 members", "0 members"),
        (Language::En, "section-details", "rooms", "1 linked room", "2 linked rooms", "0 linked rooms"),
        (Language::En, "initiatives-line", "supporters", "1 supporter", "2 supporters", "0 supporters"),
        (Language::En, "initiative-details", "supporters", "1 supporter", "2 supporters", "0 supporters"),
        (Language::En, "support-done", "count", "1 supporter", "2 supporters", "0 supporters"),
        (Language::En, "unsupport-done", "count", "1 supporter", "2 supporters", "0 supporters"),
        (Language::En, "card-capacity", "capacity", "1 place", "2 places", "0 places"),
        (Language::En, "error-capacity-below", "taken", "1 place is", "2 places are", "0 places are"),
        (Language::En, "rsvp-party-larger", "capacity", "1 place", "2 places", "0 places"),
        (Language::En, "nudge-done", "count", "1 member", "2 members", "No reminder sent"),
        (Language::En, "announce-done", "count", "1 room", "2 rooms", "0 rooms"),
        (Language::En, "stats", "members", "1 member", "2 members", "0 members"),
        (Language::En, "stats", "supporters", "1 support", "2 supports", "0 supports"),
        (Language::En, "stats", "noshows", "1 no-show", "2 no-shows", "0 no-shows"),
        (Language::En, "error-cron-fields", "count", "1 field", "2 fields", "0 fields"),
        // French: 0 and 1 are singular.
        (Language::Fr, "members-head", "count", "1 membre", "2 membres", "0 membre"),
        (Language::Fr, "sections-line", "members", "1 membre", "2 membres", "0 membre"),
        (Language::Fr, "section-details", "members", "1 membre", "2 membres", "0 membre"),
        (Language::Fr, "section-details", "rooms", "1 salon lié", "2 salons liés", "0 salon lié"),
        (Language::Fr, "initiatives-line", "supporters", "1 soutien", "2 soutiens", "0 soutien"),
        (Language::Fr, "initiative-details", "supporters", "1 soutien", "2 soutiens", "0 soutien"),
        (Language::Fr, "support-done", "count", "1 soutien", "2 soutiens", "0 soutien"),
        (Language::Fr, "unsupport-done", "count", "1 soutien", "2 soutiens", "0 soutien"),
        (Language::Fr, "card-counts", "going", "1 vient", "2 viennent", "0 vient"),
        (Language::Fr, "card-counts", "declined", "1 ne vient pas", "2 ne viennent pas", "0 ne vient pas"),
        (Language::Fr, "attendees-head", "going", "1 vient", "2 viennent", "0 vient"),
        (Language::Fr, "attendees-head", "declined", "1 ne vient pas", "2 ne viennent pas", "0 ne vient pas"),
        (Language::Fr, "attendees-hidden", "count", "1 autre", "2 autres", "0 autre"),
        (Language::Fr, "events-more", "count", "1 autre", "2 autres", "0 autre"),
        (Language::Fr, "card-capacity", "capacity", "1 place", "2 places", "0 place"),
        (Language::Fr, "card-capacity", "left", "1 libre", "2 libres", "aucune de libre"),
        (Language::Fr, "error-capacity-below", "taken", "1 place est", "2 places sont", "0 place est"),
        (Language::Fr, "rsvp-party-larger", "capacity", "1 place", "2 places", "0 place"),
        (Language::Fr, "error-no-room", "left", "il en reste 1", "il en reste 2", "il n'en reste aucune"),
        (Language::Fr, "nudge-done", "count", "1 membre qui n'avait", "2 membres qui n'avaient", "Aucun rappel"),
        (Language::Fr, "announce-done", "count", "1 salon", "2 salons", "0 salon"),
        (Language::Fr, "stats", "members", "1 membre", "2 membres", "0 membre"),
        (Language::Fr, "stats", "verified", "1 vérifié·e", "2 vérifié·es", "0 vérifié·e"),
        (Language::Fr, "stats", "open", "1 ouverte", "2 ouvertes", "0 ouverte"),
        (Language::Fr, "stats", "proposed", "1 proposée", "2 proposées", "0 proposée"),
        (Language::Fr, "stats", "closed", "1 clôturée", "2 clôturées", "0 clôturée"),
        (Language::Fr, "stats", "supporters", "1 soutien", "2 soutiens", "0 soutien"),
        (Language::Fr, "stats", "past", "1 passé", "2 passés", "0 passé"),
        (Language::Fr, "stats", "noshows", "1 absence", "2 absences", "0 absence"),
        (Language::Fr, "error-cron-fields", "count", "1 champ", "2 champs", "0 champ"),
    ];

    #[test]
    fn counts_agree_with_their_number() {
        let l = Localizer::new();
        let mut faults = Vec::new();
        for &(lang, id, var, one, two, zero) in PLURALS {
            let source = sources(lang)
                .into_iter()
                .find(|(i, _)| i == id)
                .map(|(_, s)| s)
                .unwrap_or_else(|| panic!("no {id} in {lang}"));
            for (n, expected) in [(1u32, one), (2, two), (0, zero)] {
                let mut args = neutral_args(&source);
                args.set(var, arg(n));
                let text = l.text(lang, id, Some(&args));
                if !has_words(&text, expected) {
                    faults.push(format!(
                        "{lang} {id} with {var} = {n}: «{text}» lacks «{expected}»"
                    ));
                }
            }
        }
        assert!(faults.is_empty(), "{faults:#?}");
    }

    /// Variables that carry a count of people, places or things.
    #[rustfmt::skip]
    const COUNTS: &[&str] = &[
        "count", "members", "rooms", "supporters", "going", "maybe", "declined", "waitlist",
        "capacity", "left", "taken", "party", "verified", "open", "proposed", "closed",
        "upcoming", "past", "noshows",
    ];

    /// Counts that read right for any number without a selector, and why.
    #[rustfmt::skip]
    const INVARIANT: &[(&str, &str, &str, &str)] = &[
        ("en", "card-counts", "going", "“3 going”"),
        ("en", "card-counts", "maybe", "“3 maybe”"),
        ("en", "card-counts", "declined", "“3 can't come”"),
        ("*", "card-counts", "maybe", "« 3 peut-être »"),
        ("en", "attendees-head", "going", "“3 going”"),
        ("en", "attendees-head", "maybe", "“3 maybe”"),
        ("en", "attendees-head", "declined", "“3 can't come”"),
        ("*", "attendees-head", "maybe", "« 3 peut-être »"),
        ("*", "attendees-head", "waitlist", "“3 waiting”, « 3 en attente »"),
        ("*", "card-capacity", "waitlist", "a label: “waitlist: 3”"),
        ("en", "card-capacity", "left", "“3 left”"),
        ("en", "error-no-room", "left", "“3 left”"),
        ("*", "events-line", "going", "a text (“3/10”); “3 going”, « inscrit·es : 3 »"),
        ("*", "digest-line", "going", "“3 going”, « inscrit·es : 3 »"),
        ("en", "events-more", "count", "“3 more”"),
        ("en", "attendees-hidden", "count", "“3 more”"),
        ("*", "rsvp-party-larger", "party", "a party is two or more"),
        ("en", "stats", "verified", "“3 verified”"),
        ("en", "stats", "open", "“3 open”"),
        ("en", "stats", "proposed", "“3 proposed”"),
        ("en", "stats", "closed", "“3 closed”"),
        ("*", "stats", "upcoming", "“3 upcoming”, « 3 à venir »"),
        ("en", "stats", "past", "“3 past”"),
        ("*", "whoami-section", "verified", "a text, “(verified)”"),
        ("*", "members-line", "verified", "a text, “(verified)”"),
        ("*", "settings-show", "waitlist", "a mode, not a count"),
        ("*", "pending-head", "count", "a number in brackets: “(3)”"),
    ];

    #[test]
    fn every_count_goes_through_a_plural_selector() {
        let mut faults = Vec::new();
        for lang in [Language::En, Language::Fr] {
            for (id, source) in sources(lang) {
                for var in COUNTS {
                    let shown = source.contains(&format!("{{ ${var} }}"));
                    let selected = source.contains(&format!("${var} ->"));
                    let invariant = INVARIANT.iter().any(|&(l, i, v, _)| {
                        (l == "*" || l == lang.as_str()) && i == id && v == *var
                    });
                    if shown && !selected && !invariant {
                        faults.push(format!("{lang} {id}: ${var} needs a plural selector"));
                    }
                }
            }
        }
        assert!(faults.is_empty(), "{faults:#?}");
    }

    #[test]
    fn settings_read_in_the_reader_language() {
        let l = Localizer::new();
        let changed = |lang, key: &str, value: &str| {
            l.text(
                lang,
                "settings-changed",
                Some(&crate::args!("name" => "Paris", "key" => key, "value" => value)),
            )
        };
        // The code passes the key and value as typed; French says them in French.
        for (key, value, name, shown) in [
            ("timezone", "Europe/Paris", "fuseau horaire", "Europe/Paris"),
            ("language", "fr", "langue", "français"),
            ("language", "en", "langue", "anglais"),
            ("verification", "required", "vérification", "requise"),
            ("approval", "open", "approbation", "ouverte"),
            ("reminders", "24h,1h", "rappels", "24h,1h"),
            ("reminders", "off", "rappels", "aucun"),
            ("confirm", "off", "confirmation", "non"),
            ("waitlist", "auto", "liste d'attente", "automatique"),
            ("waitlist", "notify", "liste d'attente", "prévenir"),
        ] {
            assert_eq!(
                changed(Language::Fr, key, value),
                format!("Paris : le réglage « {name} » vaut maintenant « {shown} »."),
            );
        }
        assert_eq!(
            changed(Language::En, "language", "fr"),
            "Paris: language is now French."
        );
        // The end-to-end tests look for this one.
        assert_eq!(
            changed(Language::En, "reminders", "1m"),
            "Paris: reminders is now 1m."
        );
        let show = |lang| {
            l.text(
                lang,
                "settings-show",
                Some(&crate::args!(
                    "timezone" => "Europe/Paris", "language" => "fr", "verification" => "open",
                    "approval" => "required", "reminders" => "off", "confirm" => "off",
                    "waitlist" => "notify",
                )),
            )
        };
        assert_eq!(
            show(Language::Fr),
            "Fuseau horaire : Europe/Paris · langue : français · vérification : ouverte · \
             approbation : requise · rappels : aucun · confirmation : non · \
             liste d'attente : prévenir"
        );
        assert_eq!(
            show(Language::En),
            "Time zone: Europe/Paris · language: French · verification: open · \
             approval: required · reminders: off · confirm: off · waitlist: notify"
        );
    }

    /// The arguments the parser names in its errors, read from its source:
    /// those that can be missing, and those that can only be invalid.
    fn parser_arguments() -> (BTreeSet<String>, BTreeSet<String>) {
        let sources = [
            include_str!("parse/grammar.rs"),
            include_str!("parse/clauses.rs"),
            include_str!("parse/args.rs"),
        ];
        let (mut missing, mut invalid) = (BTreeSet::new(), BTreeSet::new());
        for source in sources {
            for call in [
                "required(\"",
                "missing(\"",
                "choose(\"",
                ".id(\"",
                "invalid(\"",
            ] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    let Some(end) = rest.find('"') else { continue };
                    let name = rest[..end].to_string();
                    if call == "invalid(\"" {
                        invalid.insert(name);
                    } else {
                        missing.insert(name);
                    }
                }
            }
        }
        (missing, invalid)
    }

    #[test]
    fn argument_names_are_translated() {
        let l = Localizer::new();
        let (missing, invalid) = parser_arguments();
        assert!(missing.contains("title") && invalid.contains("capacity"));
        let name = |lang, argument: &str| {
            l.text(
                lang,
                "argument-name",
                Some(&crate::args!("argument" => argument)),
            )
        };
        for argument in missing.iter().chain(&invalid) {
            // An invalid value with a message of its own never shows the name.
            if !missing.contains(argument)
                && l.has(Language::Fr, &format!("error-invalid-{argument}"))
            {
                continue;
            }
            // The fallback quotes the parser's English word: « title ».
            let fr = name(Language::Fr, argument);
            assert!(
                !fr.contains('«'),
                "argument-name has no French for `{argument}`: {fr}"
            );
        }
        let missing_title = |lang| {
            l.text(
                lang,
                "error-missing",
                Some(&crate::args!("argument" => "title")),
            )
        };
        assert_eq!(missing_title(Language::En), "Missing title.");
        assert_eq!(missing_title(Language::Fr), "Il manque le titre.");
        assert_eq!(
            l.text(
                Language::Fr,
                "error-invalid",
                Some(&crate::args!("argument" => "capacity", "value" => "x")),
            ),
            "Valeur invalide pour le nombre de places : `x`."
        );
    }

    #[test]
    fn stats_read_as_four_lines_in_each_language() {
        let l = Localizer::new();
        let args = crate::args!(
            "name" => "Paris", "members" => 3u32, "verified" => 1u32, "open" => 2u32,
            "proposed" => 1u32, "closed" => 0u32, "supporters" => 1u32, "upcoming" => 2u32,
            "past" => 1u32, "answer_rate" => "50%", "going" => 2u32, "attendance" => "50%",
            "noshows" => 1u32,
        );
        assert_eq!(
            l.text(Language::En, "stats", Some(&args)),
            "Paris: 3 members (1 verified)\n\
             Initiatives: 2 open, 1 proposed, 0 closed — 1 support\n\
             Events: 2 upcoming, 1 past — answer rate 50%\n\
             Attendance: 50% (1 no-show)"
        );
        assert_eq!(
            l.text(Language::Fr, "stats", Some(&args)),
            "Paris : 3 membres (1 vérifié·e)\n\
             Initiatives : 2 ouvertes, 1 proposée, 0 clôturée — 1 soutien\n\
             Évènements : 2 à venir, 1 passé — taux de réponse 50%\n\
             Présence : 50% (1 absence)"
        );
    }

    #[test]
    fn button_labels_are_plain_words() {
        for lang in [Language::En, Language::Fr] {
            for (id, source) in sources(lang) {
                if !id.starts_with("button-") {
                    continue;
                }
                let label = source.trim();
                assert!(
                    label.chars().any(char::is_alphabetic)
                        && !label.contains(['/', '!', '`', '|', '<', '{'])
                        && label.chars().count() <= 30,
                    "{lang} {id}: a button shows words, not a command: {label}"
                );
            }
        }
    }
}
