//! The operator's database commands: migrate, export, import.

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
    let store = muster_storage::open(url)
        .await
        .with_context(|| format!("cannot open {}", redact(url)))?;
    let mut tx = store.begin().await?;
    let doc = muster_core::export::export(tx.as_mut(), SystemClock.now()).await?;
    drop(tx);
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
