//! Capacity before traffic, pure: what an AWS site needs to carry the share a change gives it
//! (`need`), how its ECS service or Auto Scaling group gets there (`scale`), and what failback
//! gives back (`give_back`). The AWS side lives in `commands::traffic::capacity`.

use crate::topology::{Capacity, Scaler};

/// What a scaler holds now. ECS without a scalable target has no min or max of its own:
/// `min` 0 and `max` None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Sizes {
    pub min: u32,
    pub desired: u32,
    pub max: Option<u32>,
}

impl Sizes {
    /// `min 6, desired 6, max 12`
    pub fn describe(self) -> String {
        match self.max {
            Some(max) => format!("min {}, desired {}, max {max}", self.min, self.desired),
            None => format!("desired {}", self.desired),
        }
    }
}

/// What a site needs for a share, and why (for the plan and the journal).
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub need: u32,
    pub why: String,
}

fn pct(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0}%", p)
    } else {
        format!("{p:.1}%")
    }
}

/// A site's share (0..1) of `weights` (0 when nothing is forwarded).
pub fn share(weights: &crate::plan::traffic::Weights, site: &str) -> f64 {
    let total: u32 = weights.values().sum();
    match total {
        0 => 0.0,
        t => f64::from(weights.get(site).copied().unwrap_or(0)) / f64::from(t),
    }
}

/// `ceil` that ignores float noise (10.000000001 is 10).
fn ceil(x: f64) -> u32 {
    (x - 1e-9).ceil().max(0.0) as u32
}

/// The tasks or instances the site needs to carry `to_share` (0..1) of the service:
/// `ceil(full x share x headroom)`, or without `full`, scaled from what carries `now_share`
/// now: `ceil(healthy_now x to_share / now_share x headroom)`.
pub fn need(
    cap: &Capacity,
    to_share: f64,
    now_share: f64,
    healthy_now: u32,
) -> Result<Need, String> {
    let h = cap.headroom;
    let x = if h == 1.0 {
        String::new()
    } else {
        format!(" x {h}")
    };
    if let Some(full) = cap.full {
        let n = ceil(full as f64 * to_share * h);
        return Ok(Need {
            need: n,
            why: format!("{full} carry 100%; needs {n} for {}{x}", pct(to_share)),
        });
    }
    if now_share <= 0.0 {
        return Err(format!(
            "{} gets 0% now, so what it needs cannot be scaled from what it serves: set capacity.{}.full",
            cap.site, cap.site
        ));
    }
    let n = ceil(healthy_now as f64 * to_share / now_share * h);
    Ok(Need {
        need: n,
        why: format!(
            "carries {} with {healthy_now} healthy; needs {n} for {}{x}",
            pct(now_share),
            pct(to_share)
        ),
    })
}

/// How a scaler gets to `need`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scale {
    /// It already asks for at least `need`: nothing to write (the gate still waits for the
    /// healthy targets).
    Enough,
    /// Raise min (where there is one) and desired to `need`; `to.max` above `from.max` only
    /// with `--force`.
    Raise { from: Sizes, to: Sizes },
}

/// Raises min and desired to `need`. Above the maximum it may scale to: refused (naming both),
/// unless `force` raises the maximum too.
pub fn scale(need: u32, now: Sizes, force: bool, what: &str) -> Result<Scale, String> {
    if let Some(max) = now.max
        && need > max
        && !force
    {
        return Err(format!(
            "{what} needs {need} but may scale to at most {max} (its maximum): nothing was changed; --force also raises the maximum to {need}"
        ));
    }
    let to = Sizes {
        min: if now.max.is_some() {
            now.min.max(need)
        } else {
            0
        },
        desired: now.desired.max(need),
        max: now.max.map(|m| m.max(need)),
    };
    Ok(if to == now {
        Scale::Enough
    } else {
        Scale::Raise { from: now, to }
    })
}

/// `ECS prod/web min 6 -> 10, desired 6 -> 10`
pub fn describe_raise(scaler: &Scaler, from: Sizes, to: Sizes) -> String {
    describe_change(&scaler.describe(), from, to)
}

/// [`describe_raise`] with the scaler already in words.
pub fn describe_change(scaler: &str, from: Sizes, to: Sizes) -> String {
    let mut parts = Vec::new();
    if from.max.is_some() && from.min != to.min {
        parts.push(format!("min {} -> {}", from.min, to.min));
    }
    if from.desired != to.desired {
        parts.push(format!("desired {} -> {}", from.desired, to.desired));
    }
    if let (Some(a), Some(b)) = (from.max, to.max)
        && a != b
    {
        parts.push(format!("max {a} -> {b} (--force)"));
    }
    format!("{scaler} {}", parts.join(", "))
}

/// What failback does with a scale-out this tool made (`granted`: from -> to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiveBack {
    /// Back to `to` (what held before the scale-out; desired only where nobody else moved it).
    Restore { from: Sizes, to: Sizes },
    /// Someone changed it since: reported, never overwritten.
    Foreign(String),
    /// Already as it was.
    Nothing,
}

/// Compares what holds now with what the scale-out set; only an untouched grant is given back.
/// A service's own scaling policy may move desired (between min and max): min and max decide,
/// and desired goes back only where it is still what the scale-out set.
pub fn give_back(before: Sizes, set: Sizes, now: Sizes) -> GiveBack {
    let ours = if now.max.is_some() {
        now.min == set.min && now.max == set.max
    } else {
        now.desired == set.desired
    };
    if !ours {
        return GiveBack::Foreign(format!(
            "it holds {} where the scale-out set {}: changed since by someone else, so it is left as it is",
            now.describe(),
            set.describe()
        ));
    }
    let desired = if now.desired == set.desired {
        before.desired
    } else {
        now.desired
            .clamp(before.min, before.max.unwrap_or(u32::MAX))
    };
    let to = Sizes {
        min: before.min,
        desired,
        max: before.max,
    };
    if to == now {
        GiveBack::Nothing
    } else {
        GiveBack::Restore { from: now, to }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::ScaleBack;
    use std::time::Duration;

    fn cap(full: Option<u32>, headroom: f64) -> Capacity {
        Capacity {
            site: "aws".into(),
            scaler: Scaler::AutoscalingGroup {
                name: "web-asg".into(),
                region: "ap-northeast-2".into(),
            },
            full,
            headroom,
            timeout: Duration::from_secs(600),
            scale_back: ScaleBack::Restore,
        }
    }

    fn sizes(min: u32, desired: u32, max: Option<u32>) -> Sizes {
        Sizes { min, desired, max }
    }

    /// (full, headroom, to share, now share, healthy now, the need)
    type NeedCase = (Option<u32>, f64, f64, f64, u32, u32);

    #[test]
    fn need_table() {
        let cases: &[NeedCase] = &[
            (Some(12), 1.0, 1.0, 0.6, 0, 12),
            (Some(12), 1.2, 1.0, 0.6, 0, 15), // 14.4 -> 15
            (Some(10), 1.0, 0.3, 0.0, 0, 3),
            (None, 1.0, 1.0, 0.6, 6, 10),
            (None, 1.2, 1.0, 0.6, 6, 12),
            (None, 1.0, 0.6, 0.6, 6, 6),
            (None, 1.0, 1.0, 0.3, 1, 4), // 3.33 -> 4
            (None, 1.0, 0.7, 0.7, 7, 7), // float noise: 7.000000001 is 7
        ];
        for &(full, h, to, now, healthy, want) in cases {
            let got = need(&cap(full, h), to, now, healthy).unwrap();
            assert_eq!(
                got.need, want,
                "{full:?} {h} {to} {now} {healthy}: {}",
                got.why
            );
        }
        let e = need(&cap(None, 1.0), 1.0, 0.0, 0).unwrap_err();
        assert!(e.contains("set capacity.aws.full"), "{e}");
        let w = need(&cap(None, 1.2), 1.0, 0.6, 6).unwrap().why;
        assert_eq!(w, "carries 60% with 6 healthy; needs 12 for 100% x 1.2");
    }

    #[test]
    fn scale_raises_min_and_desired_and_refuses_above_max_without_force() {
        let now = sizes(6, 6, Some(12));
        assert_eq!(
            scale(10, now, false, "x").unwrap(),
            Scale::Raise {
                from: now,
                to: sizes(10, 10, Some(12))
            }
        );
        assert_eq!(scale(6, now, false, "x").unwrap(), Scale::Enough);
        // Desired already above the need (the service's own policy scaled out): min only.
        assert_eq!(
            scale(8, sizes(2, 9, Some(12)), false, "x").unwrap(),
            Scale::Raise {
                from: sizes(2, 9, Some(12)),
                to: sizes(8, 9, Some(12))
            }
        );
        let e = scale(15, now, false, "ASG web-asg").unwrap_err();
        assert!(e.contains("needs 15 but may scale to at most 12"), "{e}");
        assert_eq!(
            scale(15, now, true, "x").unwrap(),
            Scale::Raise {
                from: now,
                to: sizes(15, 15, Some(15))
            }
        );
        // ECS without a scalable target: desired only, no maximum.
        let ecs = sizes(0, 2, None);
        assert_eq!(
            scale(10, ecs, false, "x").unwrap(),
            Scale::Raise {
                from: ecs,
                to: sizes(0, 10, None)
            }
        );
    }

    #[test]
    fn give_back_restores_only_an_untouched_grant() {
        let (before, set) = (sizes(2, 2, Some(12)), sizes(10, 10, Some(12)));
        assert_eq!(
            give_back(before, set, set),
            GiveBack::Restore {
                from: set,
                to: before
            }
        );
        // The service's own policy scaled out further: min goes back, desired stays.
        assert_eq!(
            give_back(before, set, sizes(10, 11, Some(12))),
            GiveBack::Restore {
                from: sizes(10, 11, Some(12)),
                to: sizes(2, 11, Some(12))
            }
        );
        // Someone set min 8 meanwhile: reported, not overwritten.
        assert!(matches!(
            give_back(before, set, sizes(8, 10, Some(12))),
            GiveBack::Foreign(m) if m.contains("min 8, desired 10, max 12")
        ));
        assert_eq!(give_back(before, set, before), GiveBack::Foreign(
            "it holds min 2, desired 2, max 12 where the scale-out set min 10, desired 10, max 12: changed since by someone else, so it is left as it is".into()
        ));
        // ECS without a scalable target: desired decides.
        let (b, s) = (sizes(0, 2, None), sizes(0, 10, None));
        assert_eq!(give_back(b, s, s), GiveBack::Restore { from: s, to: b });
        assert!(matches!(
            give_back(b, s, sizes(0, 4, None)),
            GiveBack::Foreign(_)
        ));
    }
}

/// What `status` read of a scaler (an ECS service with its scalable target, or an Auto
/// Scaling group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    pub kind: &'static str,
    /// ECS: running tasks; ASG: instances in service.
    pub running: u32,
    pub desired: u32,
    pub pending: u32,
    /// ECS: the primary deployment's rolloutState.
    pub rollout: Option<String>,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// One row of `status`'s Capacity section.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub service: String,
    pub site: String,
    /// `ECS prod/web`, `ASG web-asg`.
    pub scaler: String,
    /// ecs or asg; None when it could not be read.
    pub kind: Option<&'static str>,
    /// ECS running tasks, or ASG instances in service.
    pub running: Option<u32>,
    pub desired: Option<u32>,
    pub pending: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// ECS: IN_PROGRESS, COMPLETED, FAILED.
    pub rollout: Option<String>,
    /// What the site needs to carry 100% (None: cannot be computed).
    pub need_for_all: Option<u32>,
    /// Why it could not be read, or that it does not exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A finding about a site's capacity: (critical?, code, message).
pub type Found = (bool, &'static str, String);

/// A row and its findings: `capacity-unknown` (critical: the scaler does not exist; `at` is
/// its FILE:LINE:COL), `deployment-failed` (critical: ECS rolloutState FAILED),
/// `capacity-short` (warning: the site cannot reach what 100% needs within its maximum).
pub fn judge(
    service: &str,
    cap: &Capacity,
    at: &str,
    read: Result<Option<Live>, String>,
    share_now: f64,
    healthy_now: u32,
) -> (Row, Vec<Found>) {
    let mut row = Row {
        service: service.to_string(),
        site: cap.site.clone(),
        scaler: cap.scaler.describe(),
        kind: None,
        running: None,
        desired: None,
        pending: None,
        min: None,
        max: None,
        rollout: None,
        need_for_all: need(cap, 1.0, share_now, healthy_now).ok().map(|n| n.need),
        error: None,
    };
    let site = format!("{}/{service}", cap.site);
    let live = match read {
        Err(e) => {
            row.error = Some(e);
            return (row, Vec::new());
        }
        Ok(None) => {
            let m = format!(
                "{at}: {} does not exist: the capacity step of {site} cannot scale it, so a failover there is refused",
                cap.scaler.describe()
            );
            row.error = Some("does not exist".into());
            return (row, vec![(true, "capacity-unknown", m)]);
        }
        Ok(Some(l)) => l,
    };
    let mut found = Vec::new();
    if live.rollout.as_deref() == Some("FAILED") {
        found.push((
            true,
            "deployment-failed",
            format!(
                "{site}: {}'s primary deployment failed (rolloutState FAILED): the site may not carry its share, let alone more",
                cap.scaler.describe()
            ),
        ));
    }
    if let (Some(n), Some(max)) = (row.need_for_all, live.max)
        && n > max
    {
        found.push((
            false,
            "capacity-short",
            format!(
                "{site}: 100% needs {n} but {} may scale to at most {max}: a failover there is refused (or --force raises the maximum)",
                cap.scaler.describe()
            ),
        ));
    }
    row.kind = Some(live.kind);
    row.running = Some(live.running);
    row.desired = Some(live.desired);
    row.pending = Some(live.pending);
    row.min = live.min;
    row.max = live.max;
    row.rollout = live.rollout;
    (row, found)
}
