//! The operator's database commands: migrate, export, import, backup.
//! Those that read an organisation refuse a database that does not exist;
//! every one closes the database properly, so SQLite's log is folded into
//! the file.

use anyhow::{Context, Result};
use muster_core::clock::{Clock, SystemClock};
use muster_secret::redact;
use std::path::Path;

pub async fn migrate(url: &str) -> Result<()> {
    muster_storage::migrate(url).await?;
    println!("migrations applied to {}", redact(url));
    Ok(())
}

pub async fn export(url: &str, output: Option<&Path>) -> Result<()> {
    let store = muster_storage::open_existing(url)
        .await
        .with_context(|| format!("cannot open {}", redact(url)))?;
    let mut tx = store.begin().await?;
    let doc = muster_core::export::export(tx.as_mut(), SystemClock.now()).await?;
    drop(tx);
    store.close().await;
    let json = serde_json::to_string_pretty(&doc)?;
    match output {
        Some(path) => {
            // Write beside the target and rename, so a failure never leaves half a file.
            let tmp = path.with_extension("json.partial");
            std::fs::write(&tmp, json + "\n")
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => println!("{json}"),
    }
    Ok(())
}

pub async fn import(url: &str, file: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc: muster_core::export::Export = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a Muster export", file.display()))?;
    let store = muster_storage::open(url)
        .await
        .with_context(|| format!("cannot open {}", redact(url)))?;
    let mut tx = store.begin().await?;
    muster_core::export::import(tx.as_mut(), &doc, SystemClock.now()).await?;
    tx.commit().await?;
    store.close().await;
    println!(
        "imported {} sections, {} members, {} initiatives, {} events into {}",
        doc.sections.len(),
        doc.members.len(),
        doc.initiatives.len(),
        doc.events.len(),
        redact(url)
    );
    Ok(())
}

/// A consistent copy of a running organisation's database in one file.
pub async fn backup(url: &str, output: Option<&Path>) -> Result<()> {
    let store = muster_storage::open_existing(url)
        .await
        .with_context(|| format!("cannot open {}", redact(url)))?;
    let default = format!(
        "muster-backup-{}.db",
        SystemClock.now().format("%Y%m%d-%H%M%S")
    );
    let path = output.map_or_else(|| Path::new(&default).to_path_buf(), Path::to_path_buf);
    let done = store.backup(&path).await;
    store.close().await;
    done.with_context(|| format!("cannot back {} up", redact(url)))?;
    println!(
        "backed up {} to {} (open it with --db sqlite://{})",
        redact(url),
        path.display(),
        path.display()
    );
    Ok(())
}
