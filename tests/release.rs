//! The portable binary's glibc floor. `scripts/test` builds and runs every test through
//! `cargo zigbuild test --target x86_64-unknown-linux-gnu.2.17` and sets
//! HYBRIDCTL_GLIBC_FLOOR=2.17, so the binary all the other tests exercise is linked against
//! glibc 2.17's symbols, and this test fails if it needs anything newer (a new dependency
//! calling a newer libc function, a toolchain change). `scripts/release` checks the release
//! binary the same way (`scripts/check-glibc`).

use std::path::Path;
use std::process::Command;

use crate::support::repo;

/// The highest GLIBC_x.y symbol version `bin` needs, from `objdump -T`.
fn highest_glibc(bin: &Path) -> (u32, u32) {
    let out = Command::new("objdump")
        .arg("-T")
        .arg(bin)
        .output()
        .expect("objdump runs (apt-get install binutils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
            Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
        })
        .max()
        .expect("a glibc binary names GLIBC_ symbol versions")
}

fn parse(v: &str) -> (u32, u32) {
    let (a, b) = v.split_once('.').expect("a floor like 2.17");
    (a.parse().unwrap(), b.parse().unwrap())
}

/// The floor this test binary was built for: HYBRIDCTL_GLIBC_FLOOR (scripts/test sets it), or
/// the glibc version in cargo-zigbuild's linker wrapper (`...linux-gnu.2.17...`).
fn floor() -> Option<String> {
    if let Ok(f) = std::env::var("HYBRIDCTL_GLIBC_FLOOR") {
        return Some(f);
    }
    let linker = std::env::var("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").ok()?;
    let tail = linker.split("linux-gnu.").nth(1)?;
    let v: String = tail
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    Some(v.trim_end_matches('.').to_string())
}

#[test]
fn the_binary_under_test_needs_no_glibc_newer_than_the_floor() {
    let bin = assert_cmd::cargo::cargo_bin("hybridctl");
    let highest = highest_glibc(&bin);
    // scripts/check-glibc, which scripts/release uses, agrees with the parse above: it passes
    // at the binary's own highest version and fails one below it.
    let check = |floor: String| {
        Command::new(repo().join("scripts/check-glibc"))
            .arg(&bin)
            .arg(floor)
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(check(format!("{}.{}", highest.0, highest.1)));
    assert!(!check(format!("{}.{}", highest.0, highest.1 - 1)));
    match floor() {
        Some(f) => assert!(
            highest <= parse(&f),
            "{} needs GLIBC_{}.{}, newer than the floor {f}",
            bin.display(),
            highest.0,
            highest.1
        ),
        // A plain `cargo test` links against the host's glibc; only the checks above apply.
        None => eprintln!(
            "note: {} was not built by cargo zigbuild (it needs GLIBC_{}.{}); \
             ./scripts/test checks the 2.17 floor",
            bin.display(),
            highest.0,
            highest.1
        ),
    }
}
