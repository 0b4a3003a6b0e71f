//! The `muster` binary as a new user and an operator meet it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn muster(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(args)
        .current_dir(dir)
        .env_remove("MUSTER_STORAGE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn run_with_no_configuration_opens_muster_db_and_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let script =
        "ana> whoami\nsection new paris \"Paris\"\nsection link paris\nbob> join\nrsvp 1 yes\n";
    let out = muster(dir.path(), &["run"], script);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(dir.path().join("muster.db").exists());
    assert!(
        stderr.contains("sqlite://muster.db") && stderr.contains("muster init"),
        "{stderr}"
    );
    assert!(
        stdout.contains("administrator of the whole organisation"),
        "{stdout}"
    );
    assert!(stdout.contains("linked to Paris"), "{stdout}");
    assert!(stdout.contains("Welcome to Paris"), "{stdout}");
    assert!(stdout.contains("no event #1"), "{stdout}");
    // The data survives a restart.
    let out = muster(dir.path(), &["console"], "bob> whoami\n");
    assert!(text(&out).0.contains("Paris: member"), "{}", text(&out).0);
}

#[test]
fn console_in_french_with_a_simulated_clock() {
    let dir = tempfile::tempdir().unwrap();
    let script = "ana> section nouvelle paris \"Paris\"\nsection lier paris\nevenement nouveau \"AG\" demain 19h\n~ +24h\n";
    let out = muster(
        dir.path(),
        &[
            "console",
            "--lang",
            "fr",
            "--db",
            "sqlite://org.db",
            "--simulate-from",
            "2026-12-01 09:00",
        ],
        script,
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Section Paris créée"), "{stdout}");
    assert!(stdout.contains("2026-12-02 19:00"), "{stdout}");
    assert!(stdout.contains("~ now 2026-12-02 09:00 UTC"), "{stdout}");
    assert!(dir.path().join("org.db").exists());
}

#[test]
fn init_then_check_config_and_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(muster(dir.path(), &["init"], "").status.success());
    let out = muster(dir.path(), &["check-config"], "");
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("configuration is valid"));
    // Init refuses to overwrite.
    assert!(!muster(dir.path(), &["init"], "").status.success());

    std::fs::write(
        dir.path().join("bad.toml"),
        "[telegram]\ntokn = \"123:secret\"\n",
    )
    .unwrap();
    let out = muster(dir.path(), &["check-config", "--config", "bad.toml"], "");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("tokn") && stderr.contains("bad.toml") && stderr.contains(":2"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn export_and_import_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let script = "ana> section new paris \"Paris\"\nsection link paris\nevent new \"AG\" 2030-01-10 19:00 cap 3\nbob> rsvp 1 yes +1\n";
    assert!(
        muster(dir.path(), &["console", "--db", "sqlite://a.db"], script)
            .status
            .success()
    );
    let out = muster(
        dir.path(),
        &["export", "--db", "sqlite://a.db", "-o", "org.json"],
        "",
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let out = muster(
        dir.path(),
        &["import", "--db", "sqlite://b.db", "org.json"],
        "",
    );
    assert!(out.status.success(), "{:?}", text(&out));
    let a = muster(dir.path(), &["export", "--db", "sqlite://a.db"], "");
    let b = muster(dir.path(), &["export", "--db", "sqlite://b.db"], "");
    let strip = |o: &Output| {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_object_mut().unwrap().remove("exported_at");
        v
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(strip(&a)["events"][0]["rsvps"][0]["guests"], 1);
    // Importing into a database that is not empty is refused and changes nothing.
    let out = muster(
        dir.path(),
        &["import", "--db", "sqlite://b.db", "org.json"],
        "",
    );
    assert!(!out.status.success());
    assert!(text(&out).1.contains("not empty"));
    // A file that is not an export gets a clear error.
    std::fs::write(dir.path().join("junk.json"), "{\"hello\": 1}").unwrap();
    let out = muster(
        dir.path(),
        &["import", "--db", "sqlite://c.db", "junk.json"],
        "",
    );
    assert!(
        text(&out).1.contains("is not a Muster export"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn a_button_pressed_on_the_console_is_answered_privately() {
    let dir = tempfile::tempdir().unwrap();
    let script = "ana> section new paris \"Paris\"\nsection link paris\n\
                  event new \"Assembly\" 2030-06-05 19:30 cap 10\n\
                  bob> join\n[✅ Going: rsvp 1 yes]\n[rsvp 1 perhaps]\nrsvp 1 maybe\n";
    let out = muster(dir.path(), &["console"], script);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    // The card shows its buttons as they are pressed.
    assert!(stdout.contains("[✅ Going: rsvp 1 yes]"), "{stdout}");
    // The press is answered to bob alone; the typed command in the room.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("[private to bob]") && l.contains("going")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| !l.starts_with('[') && l.contains("maybe")),
        "{stdout}"
    );
    assert!(
        stdout.contains("`[rsvp 1 perhaps]` is no button"),
        "{stdout}"
    );
}

#[test]
fn check_config_refuses_what_run_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("muster.toml"),
        "[discord]\ntoken = \"abc.def.ghi\"\napplication_id = 42\n",
    )
    .unwrap();
    let check = muster(dir.path(), &["check-config"], "");
    let run = muster(dir.path(), &["run"], "");
    for out in [&check, &run] {
        let (_, stderr) = text(out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr
                .contains("[discord] is configured, but this version of Muster has no bot for it"),
            "{stderr}"
        );
    }
    assert!(!text(&check).0.contains("configuration is valid"));
    assert!(
        !dir.path().join("muster.db").exists(),
        "run refused before opening anything"
    );
}

#[test]
fn backups_restore_and_a_stopped_databases_file_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let script = "ana> section new paris \"Paris\"\nsection link paris\nevent new \"Assembly\" 2030-06-05 19:30\n";
    assert!(muster(dir.path(), &["console"], script).status.success());
    let export_of = |db: &str| {
        let out = muster(dir.path(), &["export", "--db", db], "");
        assert!(out.status.success(), "{:?}", text(&out));
        let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_object_mut().unwrap().remove("exported_at");
        v
    };
    // After a clean stop, the database file alone holds everything: a
    // plain copy of it (taken before anything else opens it) is a backup.
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("muster.db"), copy.path().join("copy.db")).unwrap();
    assert!(
        !dir.path().join("muster.db-wal").exists(),
        "the log was left beside the file"
    );
    let original = export_of("sqlite://muster.db");
    assert_eq!(original["events"][0]["title"], "Assembly");
    let copied = format!("sqlite://{}", copy.path().join("copy.db").display());
    assert_eq!(export_of(&copied), original);

    // `muster backup` takes a consistent copy that restores as it was.
    let out = muster(dir.path(), &["backup", "-o", "saved.db"], "");
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("saved.db"));
    assert_eq!(export_of("sqlite://saved.db"), original);
    // It never overwrites.
    let out = muster(dir.path(), &["backup", "-o", "saved.db"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("exists already"), "{:?}", text(&out));
}

#[test]
fn reading_commands_refuse_a_database_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["export", "--db", "sqlite://mistyped.db"],
        vec!["export", "--db", "sqlite://mistyped.db", "-o", "out.json"],
        vec!["backup", "--db", "sqlite://mistyped.db"],
    ] {
        let out = muster(dir.path(), &args, "");
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no database at sqlite://mistyped.db"),
            "{stderr}"
        );
        assert!(
            !dir.path().join("mistyped.db").exists(),
            "{args:?} created it"
        );
        assert!(!dir.path().join("out.json").exists());
    }
}

#[test]
fn check_config_validates_telegram() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("muster.toml"), text).unwrap();
    write("[telegram]\ntoken = \"not-a-bot-token\"\n");
    let out = muster(dir.path(), &["check-config"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).1.contains("[telegram] token") && text(&out).1.contains("BotFather"),
        "{:?}",
        text(&out)
    );
    write(
        "[telegram]\ntoken = \"123456:AAabcdefghijklmnopqrstuvwxyz0123456789\"\nmode = \"webhook\"\n[web]\nlisten = \"127.0.0.1:8080\"\npublic_url = \"https://m.example.org\"\n",
    );
    let out = muster(dir.path(), &["check-config"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("webhook_secret"), "{:?}", text(&out));
    write("[telegram]\ntoken = \"123456:AAabcdefghijklmnopqrstuvwxyz0123456789\"\n");
    let out = muster(dir.path(), &["check-config"], "");
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(
        text(&out)
            .0
            .contains("telegram: bot via https://api.telegram.org, polling"),
        "{:?}",
        text(&out)
    );
    assert!(!text(&out).0.contains("AAabcdef"));
}

#[test]
fn the_console_simulates_a_downtime_and_the_catch_up() {
    let dir = tempfile::tempdir().unwrap();
    let script = "ana> section new paris \"Paris\"\nsection link paris\nsettings timezone Europe/Paris\n\
                  event new \"Assembly\" 2026-12-02 19:00\nannounce at 2026-12-02 09:00 Bring banners\n\
                  ~ down +33h\n";
    let out = muster(
        dir.path(),
        &["console", "--simulate-from", "2026-12-01 08:00"],
        script,
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    // Back at 17:00 UTC (18:00 in Paris): one reminder, with the real time left.
    assert!(stdout.contains("back at 2026-12-02 17:00 UTC"), "{stdout}");
    assert_eq!(stdout.matches("Reminder").count(), 1, "{stdout}");
    assert!(stdout.contains("starts in 1h"), "{stdout}");
    // The announcement due 8 hours ago waits; the organiser is told.
    assert!(!stdout.contains("📣 Bring banners"), "{stdout}");
    assert!(
        stdout.contains("[private to ana] While Muster was offline"),
        "{stdout}"
    );
    assert!(stdout.contains("/announce send 1"), "{stdout}");
}
