//! `hybridctl lambda package`: the deployable zip for `provided.al2023`: a `bootstrap` script
//! that starts the lambda loop, the binary, and the validated topology. The binary must run
//! on Amazon Linux 2023, so its highest required glibc symbol version (read from the ELF's
//! `.gnu.version_r` with `object`) must be at most 2.34.

use std::io::Write;
use std::path::Path;

use object::read::elf::FileHeader;
use serde::Serialize;

use crate::cli::PackageArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::render::Output;

/// Lambda's limit on a function's unzipped size (250 MB, in bytes).
const MAX_BINARY: u64 = 250 * 1024 * 1024;

/// Amazon Linux 2023's glibc.
pub const MAX_GLIBC: (u32, u32) = (2, 34);

/// A shell script rather than the binary named `bootstrap`: the binary keeps one name and one
/// CLI (`hybridctl lambda`, and `hybridctl validate` for whoever opens the package), the zip
/// holds one copy of it, and the topology is found beside it whatever the working directory.
pub const BOOTSTRAP: &str = "#!/bin/sh\n# Lambda (provided.al2023) runs this; the loop is `hybridctl lambda` (docs/lambda.md).\ncd \"$(dirname \"$0\")\" || exit 1\nexec ./hybridctl lambda\n";

#[derive(Debug, Serialize)]
struct Report {
    schema: &'static str,
    zip: String,
    entries: Vec<&'static str>,
    topology: String,
    binary: String,
    /// The function's architecture setting: `x86_64` or `arm64`.
    architecture: &'static str,
    glibc: Option<String>,
    bytes: u64,
}

pub fn run(config: &Path, args: &PackageArgs, out: &Output) -> Result<ExitStatus> {
    let topology = crate::topology::load(config)?;
    if topology.coordination.is_none() {
        return Err(Error::Usage {
            message: format!(
                "{}: hybridctl lambda needs a coordination section (the Lambda keeps its lease, history and watch state in the DynamoDB table)",
                config.display()
            ),
            hint: Some("add coordination.dynamodb_table (docs/coordination.md)".into()),
        });
    }
    // A directory, a device, a fifo or a link at --out is refused; a regular file (an older
    // zip) is replaced.
    if let Ok(m) = std::fs::symlink_metadata(&args.out)
        && !m.file_type().is_file()
    {
        return Err(Error::usage(format!(
            "--out {}: it exists and is not a regular file",
            args.out.display()
        )));
    }
    // What the function's cold start checks beyond `validate`: a zip that cannot start is
    // refused here, not at deploy time.
    crate::commands::watch::ready_for_watch(&topology)?;
    crate::commands::watch::ready_for_lambda(&topology)?;
    let binary = match &args.binary {
        Some(b) => b.clone(),
        None => std::env::current_exe()
            .map_err(|e| Error::Operational(anyhow::anyhow!("cannot find this binary: {e}")))?,
    };
    // A regular file of a sane size: not a device (/dev/zero never ends) or a fifo.
    match std::fs::metadata(&binary) {
        Ok(m) if !m.is_file() => {
            return Err(Error::usage(format!(
                "--binary {}: not a regular file",
                binary.display()
            )));
        }
        Ok(m) if m.len() > MAX_BINARY => {
            return Err(Error::usage(format!(
                "--binary {}: {} bytes, more than Lambda's 250 MB unzipped limit",
                binary.display(),
                m.len()
            )));
        }
        _ => {}
    }
    let data = std::fs::read(&binary)
        .map_err(|e| Error::usage(format!("cannot read the binary {}: {e}", binary.display())))?;
    let arch = check_binary(&binary, &data)?;
    let glibc = check_glibc(&binary, &data)?;
    let yaml = std::fs::read(config)
        .map_err(|e| Error::usage(format!("cannot read {}: {e}", config.display())))?;
    let bytes = write_zip(&args.out, &data, &yaml).map_err(|e| {
        Error::Operational(anyhow::anyhow!("cannot write {}: {e}", args.out.display()))
    })?;
    let report = Report {
        schema: "hybridctl.lambda-package/v1",
        zip: args.out.display().to_string(),
        entries: vec!["bootstrap", "hybridctl", "hybridctl.yaml"],
        topology: config.display().to_string(),
        binary: binary.display().to_string(),
        architecture: arch,
        glibc: glibc.map(|(a, b)| format!("{a}.{b}")),
        bytes,
    };
    if out.is_json() {
        out.json(&report)?;
    } else {
        out.text(&format!(
            "{}: bootstrap, hybridctl ({}, needs glibc {}), hybridctl.yaml from {}; {} bytes\nnext: deploy it as a provided.al2023 function, architecture {}, handler bootstrap (docs/lambda.md)",
            report.zip,
            report.architecture,
            report.glibc.as_deref().unwrap_or("none"),
            report.topology,
            bytes,
            report.architecture
        ))?;
    }
    Ok(ExitStatus::Success)
}

/// Every hybridctl binary holds this text (it is this check's own needle), so a binary
/// without it is not hybridctl: `bootstrap` would start something else.
const MARKER: &[u8] = b"hybridctl lambda package: this binary serves the Lambda Runtime API";

/// Refuses what Lambda could not run as `bootstrap`'s `hybridctl lambda`: another program, or
/// an ELF for a machine Lambda does not have. Returns the function's architecture setting.
fn check_binary(path: &Path, data: &[u8]) -> Result<&'static str> {
    type Elf = object::elf::FileHeader64<object::Endianness>;
    let header = Elf::parse(data).map_err(|e| {
        Error::usage(format!(
            "{}: not a 64-bit ELF executable ({e})",
            path.display()
        ))
    })?;
    let endian = header.endian().map_err(|e| Error::usage(e.to_string()))?;
    let arch = match header.e_machine(endian) {
        object::elf::EM_X86_64 => "x86_64",
        object::elf::EM_AARCH64 => "arm64",
        m => {
            return Err(Error::usage(format!(
                "{}: an ELF for machine {m}, which Lambda does not run (x86_64 or arm64 only)",
                path.display()
            )));
        }
    };
    if !data.windows(MARKER.len()).any(|w| w == MARKER) {
        return Err(Error::Usage {
            message: format!("{} is not a hybridctl binary", path.display()),
            hint: Some("pass a hybridctl built with scripts/release as --binary".into()),
        });
    }
    Ok(arch)
}

/// Refuses a binary that is not a 64-bit ELF or needs a glibc newer than `MAX_GLIBC`.
fn check_glibc(path: &Path, data: &[u8]) -> Result<Option<(u32, u32)>> {
    let needed =
        glibc_needed(data).map_err(|e| Error::usage(format!("{}: {e}", path.display())))?;
    match needed {
        Some(v) if v > MAX_GLIBC => Err(Error::Usage {
            message: format!(
                "{} needs glibc {}.{}, newer than provided.al2023's {}.{}: it would not start in Lambda",
                path.display(),
                v.0,
                v.1,
                MAX_GLIBC.0,
                MAX_GLIBC.1
            ),
            hint: Some(
                "build it with scripts/release's portable build (glibc 2.34 or older, or musl), then pass it with --binary".into(),
            ),
        }),
        v => Ok(v),
    }
}

/// The highest `GLIBC_x.y` version the binary's `.gnu.version_r` asks for (None: static, or
/// no glibc symbol versions).
pub fn glibc_needed(data: &[u8]) -> std::result::Result<Option<(u32, u32)>, String> {
    type Elf = object::elf::FileHeader64<object::Endianness>;
    let not_elf = |e: object::read::Error| format!("not a 64-bit ELF executable ({e})");
    let header = Elf::parse(data).map_err(not_elf)?;
    let endian = header.endian().map_err(not_elf)?;
    let sections = header.sections(endian, data).map_err(not_elf)?;
    let Some((mut needs, link)) = sections.gnu_verneed(endian, data).map_err(not_elf)? else {
        return Ok(None);
    };
    let strings = sections.strings(endian, data, link).map_err(not_elf)?;
    let mut max = None;
    while let Some((_, mut aux)) = needs.next().map_err(not_elf)? {
        while let Some(a) = aux.next().map_err(not_elf)? {
            let name = a.name(endian, strings).map_err(not_elf)?;
            if let Some(v) = parse_glibc(&String::from_utf8_lossy(name)) {
                max = max.max(Some(v));
            }
        }
    }
    Ok(max)
}

/// `GLIBC_2.34` -> (2, 34); `GLIBC_PRIVATE` and other names -> None.
pub fn parse_glibc(name: &str) -> Option<(u32, u32)> {
    let v = name.strip_prefix("GLIBC_")?;
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// Writes the zip (deflate) atomically; returns its size.
fn write_zip(out: &Path, binary: &[u8], yaml: &[u8]) -> std::io::Result<u64> {
    let (tmp, file) = crate::statefile::temp_beside(out)?;
    let written = fill_zip(file, binary, yaml).and_then(|()| std::fs::rename(&tmp, out));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(std::fs::metadata(out)?.len())
}

fn fill_zip(file: std::fs::File, binary: &[u8], yaml: &[u8]) -> std::io::Result<()> {
    use zip::write::SimpleFileOptions;
    let mut z = zip::ZipWriter::new(file);
    let exec = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o755);
    let plain = exec.unix_permissions(0o644);
    let entries: [(&str, &[u8], SimpleFileOptions); 3] = [
        ("bootstrap", BOOTSTRAP.as_bytes(), exec),
        ("hybridctl", binary, exec),
        ("hybridctl.yaml", yaml, plain),
    ];
    for (name, data, opts) in entries {
        z.start_file(name, opts).map_err(std::io::Error::other)?;
        z.write_all(data)?;
    }
    z.finish().map_err(std::io::Error::other)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_versions_compare_as_numbers() {
        assert_eq!(parse_glibc("GLIBC_2.34"), Some((2, 34)));
        assert_eq!(parse_glibc("GLIBC_2.2.5"), Some((2, 2)));
        assert_eq!(parse_glibc("GLIBC_2.4"), Some((2, 4)));
        assert_eq!(parse_glibc("GLIBC_PRIVATE"), None);
        assert_eq!(parse_glibc("GCC_3.0"), None);
        assert!(parse_glibc("GLIBC_2.4") < parse_glibc("GLIBC_2.34"));
        assert!(Some((2, 35)) > Some(MAX_GLIBC));
    }

    #[test]
    fn this_test_binary_is_read_and_a_text_file_refused() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let v = glibc_needed(&me).unwrap();
        assert!(v.is_some_and(|v| v >= (2, 2)), "{v:?}");
        let e = glibc_needed(b"#!/bin/sh\necho hi\n").unwrap_err();
        assert!(e.starts_with("not a 64-bit ELF executable"), "{e}");
    }
}
