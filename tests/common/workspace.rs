//! A temporary folder with one scenario file, and the `biodist` binary run in
//! it: the helpers of the command-line tests.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary working folder holding one scenario file.
pub struct Workspace {
    dir: TempDir,
}

impl Workspace {
    pub fn new(scenario: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("scenario.toml"), scenario).expect("write");
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn biodist(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("biodist")
            .expect("binary")
            .current_dir(self.dir.path())
            .env("RUST_BACKTRACE", "1")
            .args(args)
            .assert()
    }

    /// Only the scenario file (and what `keep` names) may be in the folder.
    pub fn assert_nothing_written(&self, keep: &[&str]) {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "scenario.toml" && !keep.contains(&n.as_str()))
            .collect();
        names.sort();
        assert!(names.is_empty(), "left behind: {names:?}");
    }
}

pub fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

pub fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// Runs `biodist <args>` in a folder holding `scenario` as scenario.toml and
/// checks a user error: exit code 2, a message starting `error: ` that
/// contains every piece of `needles`, no panic or backtrace, and nothing
/// written beside the scenario. Returns stderr.
pub fn assert_command_error(scenario: &str, args: &[&str], needles: &[&str]) -> String {
    let ws = Workspace::new(scenario);
    let assert = ws.biodist(args).code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.starts_with("error: "), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "expected {needle:?} in:\n{stderr}");
    }
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    ws.assert_nothing_written(&[]);
    assert!(!ws.path("output").exists(), "an output folder was written");
    stderr
}

/// Runs `biodist run scenario.toml [args]` on `scenario` and checks a user
/// error as `assert_command_error` does.
pub fn assert_user_error(scenario: &str, args: &[&str], needles: &[&str]) -> String {
    let mut all = vec!["run", "scenario.toml"];
    all.extend_from_slice(args);
    assert_command_error(scenario, &all, needles)
}

/// A CSV file as rows of (column → text).
pub fn read_csv(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("csv file");
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The text of a shipped scenario file.
pub fn shipped_scenario(name: &str) -> String {
    fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
    )
    .expect("scenario file")
}
