//! State files written atomically (temp file, fsync, rename, fsync of the folder), so a crash
//! or SIGKILL leaves the old content or the new one, never a torn file. Reading a file that
//! exists but does not parse is an error naming the path, never "empty".

use std::io::Write;
use std::path::Path;

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

/// Replaces `path` with `value`, atomically and durably.
pub fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let fail = |what: &str, e: std::io::Error| format!("cannot {what} {}: {e}", path.display());
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp.{}", std::process::id()));
    let tmp = dir.join(name);
    let bytes = serde_json::to_vec_pretty(value).map_err(|e| fail("encode", e.into()))?;
    let mut f = std::fs::File::create(&tmp).map_err(|e| fail("write", e))?;
    f.write_all(&bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| fail("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("replace", e)
    })?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| fail("sync the folder of", e))
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
}
