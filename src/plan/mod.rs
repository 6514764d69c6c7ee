//! Pure planning and conclusions: no I/O, no AWS. Commands feed observed state in.

pub mod binlog;
pub mod capacity;
pub mod dr;
pub mod dr_auto;
pub mod drill;
pub mod iam;
pub mod init;
pub mod lambda;
pub mod overflow;
pub mod status;
pub mod traffic;
pub mod watch;

/// `w` as a share of `total`, in percent, for people: `40`, `33.3`; `0` when total is 0.
pub fn format_percent(w: f64, total: f64) -> String {
    let p = if total > 0.0 { w * 100.0 / total } else { 0.0 };
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}
