//! State files written atomically (temp file, fsync, rename, fsync of the folder), so a crash
//! or SIGKILL leaves the old content or the new one, never a torn file. Reading a file that
//! exists but does not parse is an error naming the path, never "empty".

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `path`; None when it does not exist.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        format!(
            "{} is corrupt ({e}): move it aside after checking what it says; hybridctl then plans from the live state",
            path.display()
        )
    })
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new temporary file beside `path`, for a write that ends with a rename onto `path` (atomic:
/// same folder). The name is this process's and this instant's, and the file is created new:
/// a file or a link someone left at a predictable name is never written through.
pub fn temp_beside(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(
        ".tmp.{}.{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    let tmp = folder_of(path).join(name);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    Ok((tmp, file))
}

/// Replaces `path` with `value`, atomically and durably.
pub fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let fail = |what: &str, e: std::io::Error| format!("cannot {what} {}: {e}", path.display());
    let dir = folder_of(path);
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    let bytes = serde_json::to_vec_pretty(value).map_err(|e| fail("encode", e.into()))?;
    let (tmp, mut f) = temp_beside(path).map_err(|e| fail("write", e))?;
    let written = f
        .write_all(&bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("replace", e));
    }
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| fail("sync the folder of", e))
}

/// Writes `text` to `path` atomically and durably. Without `replace`, an existing file is
/// left untouched and the answer is `Ok(false)` (the check and the write are one step: the
/// temp file is hard-linked into place, which fails when the name exists).
pub fn create_text(path: &Path, text: &str, replace: bool) -> Result<bool, String> {
    let fail = |what: &str, e: std::io::Error| format!("cannot {what} {}: {e}", path.display());
    let (tmp, mut f) = temp_beside(path).map_err(|e| fail("write", e))?;
    if let Err(e) = f.write_all(text.as_bytes()).and_then(|()| f.sync_all()) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("write", e));
    }
    let placed = if replace {
        std::fs::rename(&tmp, path)
    } else {
        let linked = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        linked
    };
    match placed {
        Ok(()) => {}
        Err(e) if !replace && e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(fail("write", e));
        }
    }
    std::fs::File::open(folder_of(path))
        .and_then(|d| d.sync_all())
        .map_err(|e| fail("sync the folder of", e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_missing_and_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/state.json");
        assert_eq!(read::<Vec<u32>>(&p).unwrap(), None);
        write(&p, &vec![1u32, 2]).unwrap();
        assert_eq!(read::<Vec<u32>>(&p).unwrap(), Some(vec![1, 2]));
        std::fs::write(&p, "{not json").unwrap();
        let e = read::<Vec<u32>>(&p).unwrap_err();
        assert!(e.contains("state.json is corrupt"), "{e}");
        // A folder where the file should be: an error, not a silent success.
        let d = dir.path().join("b");
        std::fs::create_dir_all(d.join("state.json")).unwrap();
        assert!(write(&d.join("state.json"), &1u32).is_err());
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn create_text_never_clobbers_without_replace() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.yaml");
        assert_eq!(create_text(&p, "one\n", false), Ok(true));
        assert_eq!(create_text(&p, "two\n", false), Ok(false));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one\n");
        assert_eq!(create_text(&p, "three\n", true), Ok(true));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
        assert!(create_text(&dir.path().join("no/such/dir/t.yaml"), "x", false).is_err());
    }
}
