//! The real `muster run` as a child process, for end-to-end tests: standard
//! input closed (a service), standard error appended to a log file the test
//! reads to know when the process is ready, and shows when a test fails.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const READY_WAIT: Duration = Duration::from_secs(60);

/// The line `muster run` prints once its Matrix bot has synced.
pub const MATRIX_READY: &str = "Matrix bot @muster:localhost";

pub struct Muster {
    child: Child,
    log: PathBuf,
    /// Where this process's part of the log starts.
    from: usize,
}

impl Muster {
    /// Starts `muster run --config <config>` with `envs`; returns at once.
    pub fn spawn(config: &Path, log: &Path, envs: &[(&str, &str)]) -> Muster {
        let from = std::fs::read_to_string(log).unwrap_or_default().len();
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("open muster log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_muster"));
        command
            .arg("run")
            .arg("--config")
            .arg(config)
            .env(
                "MUSTER_LOG",
                "info,matrix_sdk=error,matrix_sdk_base=error,matrix_sdk_crypto=error",
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        for (key, value) in envs {
            command.env(key, value);
        }
        let child = command.spawn().expect("spawn muster");
        Muster {
            child,
            log: log.to_path_buf(),
            from,
        }
    }

    /// Starts it and waits until its Matrix bot is up.
    pub fn start_matrix(config: &Path, log: &Path, envs: &[(&str, &str)]) -> Muster {
        let mut muster = Muster::spawn(config, log, envs);
        muster.wait_for(MATRIX_READY, READY_WAIT);
        muster
    }

    /// This process's part of its log so far.
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.get(self.from..).unwrap_or("").to_string()
    }

    /// Waits until the log has `line`; fails if the process ends first.
    pub fn wait_for(&mut self, line: &str, limit: Duration) {
        let started = Instant::now();
        loop {
            let text = self.log();
            if text.contains(line) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("muster exited ({status}) before {line:?}:\n{text}");
            }
            assert!(
                started.elapsed() < limit,
                "no {line:?} from muster after {limit:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL muster");
        self.child.wait().expect("reap muster");
    }

    /// SIGTERM, and the process must end by itself, successfully.
    pub fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "muster ended with {status}");
                return;
            }
            assert!(started.elapsed() < READY_WAIT, "muster ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Muster {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("muster's log:\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
