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
}
