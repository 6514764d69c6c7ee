//! What a person's terminal receives, on a real pseudo-terminal: tables sized to its width,
//! no escape sequences for a dumb terminal or `--color never`, log lines above the progress bar.

use std::process::Command;

use crate::support::{Account, PtyRun, Seeded, on_pty};

fn lines(text: &str) -> Vec<&str> {
    text.split('\n').map(|l| l.trim_end_matches('\r')).collect()
}

/// The widest table row: comfy-table's rows start with one space (a cell's padding); the
/// free text around the tables (summaries, notes, remediations) starts otherwise.
fn widest(text: &str) -> usize {
    lines(text)
        .iter()
        .filter(|l| l.starts_with(' ') && !l.starts_with("  "))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

/// `args` with stdout on an 80-column terminal (no colour, so every byte is a column).
fn at_80_columns(s: &Seeded, args: &[&str]) -> PtyRun {
    let mut cmd: Command = s.hybridctl_std();
    cmd.args(args).env("TERM", "xterm").env("NO_COLOR", "1");
    on_pty(&cmd, true, 80)
}

#[test]
fn tables_fit_an_80_column_terminal_and_are_100_wide_off_one() {
    let s = Account::new().seed(1);
    // Critical and info findings whose text is longer than 80 columns.
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "unhealthy");
    let cases: [&[&str]; 3] = [
        &["status"],
        &["history"],
        &["dms", "check-binlog", "--no-sql"],
    ];
    for args in cases {
        if args == ["history"] {
            // After `status`: its rule is untagged, so no free-text line outgrows the tables.
            s.hybridctl()
                .args(["shift-traffic", "onprem=30", "aws=70", "--force", "--yes"])
                .args(["--reason", "capacity test"])
                .assert()
                .success();
        }
        let piped = s.hybridctl_std().args(args).output().unwrap();
        let piped = String::from_utf8(piped.stdout).unwrap();
        let wide = widest(&piped);
        assert!(
            (81..=100).contains(&wide),
            "{args:?}: off a terminal the table is 100 columns, and this one needs more than 80: {wide}\n{piped}"
        );
        let run = at_80_columns(&s, args);
        assert!(!run.tty.contains('\u{1b}'), "{args:?}: {:?}", run.tty);
        assert!(
            widest(&run.tty) <= 80,
            "{args:?}: a table row wider than the terminal:\n{}",
            run.tty
        );
        // The same screen, wrapped into more lines.
        assert!(lines(&run.tty).len() > lines(&piped).len(), "{}", run.tty);
    }
}

/// A gradual shift (two steps, a progress bar on a terminal), then back to 40/60.
fn shift_on_pty(s: &Seeded, term: &str, extra: &[&str]) -> PtyRun {
    let mut cmd = s.hybridctl_std();
    cmd.args(["shift-traffic", "onprem=0", "aws=100", "--step", "25"])
        .args(["--interval", "1s", "--yes", "-o", "json"])
        .args(extra)
        .env("TERM", term);
    let run = on_pty(&cmd, false, 100);
    assert_eq!(run.code, 0, "{}", run.tty);
    s.hybridctl()
        .args(["shift-traffic", "onprem=40", "aws=60", "--yes"])
        .assert()
        .success();
    run
}

#[test]
fn a_dumb_terminal_and_color_never_get_no_colour_and_no_redraws() {
    let s = Account::new().seed(1);
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "unhealthy");
    let status = |term: &str, extra: &[&str]| {
        let mut cmd = s.hybridctl_std();
        cmd.arg("status").args(extra).env("TERM", term);
        on_pty(&cmd, true, 100).tty
    };
    // A terminal that can show colour gets it (status' CRITICAL finding)...
    assert!(status("xterm", &[]).contains("\u{1b}["));
    // ... a dumb one, like NO_COLOR, does not; nor does --color never.
    for (term, extra) in [("dumb", &[][..]), ("xterm", &["--color", "never"][..])] {
        let tty = status(term, extra);
        assert!(tty.contains("CRITICAL"), "{tty}");
        assert!(!tty.contains('\u{1b}'), "TERM={term} {extra:?}: {tty:?}");
    }
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "healthy");
    // The progress bar is drawn with erase sequences where a terminal can take them...
    let drawn = shift_on_pty(&s, "xterm", &[]);
    assert!(drawn.tty.contains("\r\u{1b}[2K"), "{:?}", drawn.tty);
    // ... and is plain lines, as on a pipe, on a dumb terminal or with --color never.
    for (term, extra) in [("dumb", &[][..]), ("xterm", &["--color", "never"][..])] {
        let run = shift_on_pty(&s, term, extra);
        assert!(
            !run.tty.contains('\u{1b}'),
            "TERM={term} {extra:?}: {:?}",
            run.tty
        );
        assert!(run.tty.contains("step 1/2: "), "{:?}", run.tty);
    }
}

#[test]
fn log_lines_are_written_above_the_progress_bar_never_into_its_line() {
    let s = Account::new().seed(1);
    for verbose in ["-v", "-vv"] {
        // NO_COLOR: log lines without colour codes, so the bytes before each are the bar's.
        let mut cmd = s.hybridctl_std();
        cmd.args(["shift-traffic", "onprem=0", "aws=100", "--step", "25"])
            .args(["--interval", "1s", "--yes", "-o", "json", verbose])
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let run = on_pty(&cmd, false, 100);
        assert_eq!(run.code, 0, "{}", run.tty);
        let tty = &run.tty;
        assert!(tty.contains("] step 1/2"), "the bar is drawn: {tty:?}");
        let logs: Vec<usize> = tty.match_indices("DEBUG ").map(|(i, _)| i).collect();
        assert!(logs.len() > 5, "{verbose} logs each AWS call: {tty:?}");
        for i in logs {
            let before = &tty[..i];
            assert!(
                before.is_empty() || before.ends_with('\n') || before.ends_with("\r\u{1b}[2K"),
                "{verbose}: a log line starts inside the bar's line: {:?}",
                &tty[i.saturating_sub(120)..(i + 60).min(tty.len())]
            );
        }
        s.hybridctl()
            .args(["shift-traffic", "onprem=40", "aws=60", "--yes"])
            .assert()
            .success();
    }
}
