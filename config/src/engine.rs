//! What the engine takes from the configuration.

use crate::Config;
use muster_core::domain::Language;
use muster_core::engine::{EngineSettings, parse_identity};

impl Config {
    /// The engine's settings; `language` overrides `[defaults] language`
    /// (`muster console --lang`).
    pub fn engine_settings(&self, language: Option<Language>) -> EngineSettings {
        EngineSettings {
            // Each entry was checked to be `platform:user` when loaded.
            root_admins: self
                .access
                .admins
                .iter()
                .filter_map(|entry| parse_identity(entry))
                .collect(),
            default_timezone: self.defaults.zone(),
            default_language: language
                .or_else(|| self.defaults.language.parse().ok())
                .unwrap_or_default(),
            public_url: self.web.as_ref().map(|w| w.public_url.clone()),
            ..EngineSettings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use muster_core::domain::{Identity, Language, Platform};

    #[test]
    fn settings_carry_admins_zone_language_and_address() {
        let config = Config::from_toml(
            "[access]\nadmins = [\"matrix:@ana:example.org\", \"telegram:42\"]\n\
             [defaults]\ntimezone = \"Europe/Paris\"\nlanguage = \"fr\"\n\
             [web]\nlisten = \"127.0.0.1:8080\"\npublic_url = \"https://m.example.org\"\n",
            "test",
            Vec::new(),
        )
        .unwrap();
        let settings = config.engine_settings(None);
        assert_eq!(
            settings.root_admins,
            [
                Identity {
                    platform: Platform::Matrix,
                    user_id: "@ana:example.org".into()
                },
                Identity {
                    platform: Platform::Telegram,
                    user_id: "42".into()
                }
            ]
        );
        assert_eq!(settings.default_timezone, chrono_tz::Europe::Paris);
        assert_eq!(settings.default_language, Language::Fr);
        assert_eq!(
            settings.public_url.as_deref(),
            Some("https://m.example.org")
        );
        assert_eq!(
            config.engine_settings(Some(Language::En)).default_language,
            Language::En
        );
    }
}
