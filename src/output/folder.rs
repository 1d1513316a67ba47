//! Writes a run's files into their folder all at once, or not at all.
//!
//! The files are written into a hidden temporary folder beside the target and
//! renamed into place when all are written, so a failed or interrupted run
//! never leaves a half-written output folder. An existing folder is replaced
//! only with `--force`.

use std::fs;
use std::path::{Path, PathBuf};

/// Why an output folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder exists and `--force` was not given.
    #[error("output folder {}: expected a folder that does not exist yet, found one (pass --force to replace it)", dir.display())]
    Exists {
        /// The folder.
        dir: PathBuf,
    },
    /// `--force` was given for a folder that biodist did not write.
    #[error("output folder {}: expected a biodist output folder (one holding manifest.json) to replace with --force, found a folder without one; choose another --out", dir.display())]
    NotOurs {
        /// The folder.
        dir: PathBuf,
    },
    /// The path exists and is not a folder.
    #[error("output folder {}: expected a folder, found a file of that name; choose another --out", dir.display())]
    NotAFolder {
        /// The path.
        dir: PathBuf,
    },
    /// The file system refused.
    #[error("output folder {} (--out): cannot {action} {}: {source}", dir.display(), path.display())]
    Io {
        /// The target folder.
        dir: PathBuf,
        /// The path the operation failed on.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

fn io_error(
    dir: &Path,
    path: &Path,
    action: &'static str,
) -> impl FnOnce(std::io::Error) -> OutputError {
    let (dir, path) = (dir.to_path_buf(), path.to_path_buf());
    move |source| OutputError::Io {
        dir,
        path,
        action,
        source,
    }
}

fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Checks, before a long simulation, that `dir` can be written: it must not
/// exist (unless `force`), and a folder must be creatable beside it. Leaves
/// nothing behind but the parent folders it had to create.
pub fn check_writable(dir: &Path, force: bool) -> Result<(), OutputError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OutputError::NotAFolder {
            dir: dir.to_path_buf(),
        });
    }
    if dir.exists() {
        if !force {
            return Err(OutputError::Exists {
                dir: dir.to_path_buf(),
            });
        }
        if !dir.join("manifest.json").is_file() {
            return Err(OutputError::NotOurs {
                dir: dir.to_path_buf(),
            });
        }
    }
    let probe = sibling(dir, "probe");
    if let Some(parent) = probe.parent() {
        fs::create_dir_all(parent).map_err(io_error(dir, parent, "create folder"))?;
    }
    // The probe is an internal name: report failures against the folder asked for.
    fs::create_dir(&probe).map_err(io_error(dir, dir, "write into the folder of"))?;
    fs::remove_dir(&probe).map_err(io_error(dir, dir, "write into the folder of"))
}

/// Writes `files` (name, bytes) into `dir` atomically: all of them or none.
pub fn write_folder(dir: &Path, force: bool, files: &[(&str, Vec<u8>)]) -> Result<(), OutputError> {
    check_writable(dir, force)?;
    let staging = sibling(dir, "partial");
    let result = stage_and_swap(dir, &staging, files);
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn stage_and_swap(
    dir: &Path,
    staging: &Path,
    files: &[(&str, Vec<u8>)],
) -> Result<(), OutputError> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(io_error(dir, staging, "remove stale folder"))?;
    }
    fs::create_dir(staging).map_err(io_error(dir, staging, "create folder"))?;
    for (name, bytes) in files {
        let path = staging.join(name);
        fs::write(&path, bytes).map_err(io_error(dir, &path, "write file"))?;
    }
    if dir.exists() {
        let old = sibling(dir, "replaced");
        fs::rename(dir, &old).map_err(io_error(dir, dir, "move aside old folder"))?;
        fs::rename(staging, dir).map_err(io_error(dir, dir, "rename into place"))?;
        let removed = if old.is_dir() {
            fs::remove_dir_all(&old)
        } else {
            fs::remove_file(&old)
        };
        removed.map_err(io_error(dir, &old, "remove old folder"))
    } else {
        fs::rename(staging, dir).map_err(io_error(dir, dir, "rename into place"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_all_files_and_refuses_to_overwrite_without_force() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("nested").join("run");
        let first = [
            ("a.csv", b"x\n".to_vec()),
            ("manifest.json", b"{}".to_vec()),
        ];
        write_folder(&dir, false, &first).unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"x\n");
        let err = write_folder(&dir, false, &[("a.csv", b"y\n".to_vec())]).unwrap_err();
        assert!(matches!(err, OutputError::Exists { .. }));
        write_folder(&dir, true, &[("b.csv", b"z\n".to_vec())]).unwrap();
        assert!(
            !dir.join("a.csv").exists(),
            "the old folder is replaced as a whole"
        );
        // The folder now has no manifest.json, so it is not ours to replace.
        let err = write_folder(&dir, true, &[("c.csv", b"w\n".to_vec())]).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs { .. }));
        let leftovers: Vec<_> = fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("run")]);
    }
}
