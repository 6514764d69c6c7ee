//! Command-line types only: what the user can type. No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    the answer is \"no\": degraded status, failed check, refused safety gate
  2    usage or topology file error; nothing was changed
  3    AWS or operational failure
  130  interrupted (Ctrl-C); 143 SIGTERM, 129 SIGHUP: the report says what AWS holds";

/// Operations for hybrid on-premises + AWS deployments.
///
/// hybridctl reads a YAML topology file that describes the sites serving one deployment (an
/// on-prem cluster behind a VPN and AWS), the ALB listener rules that split traffic between them,
/// DMS replication and the DR region, and calls the AWS APIs directly. Credentials come from the
/// AWS default chain (environment, profile, SSO, instance metadata), never from the file.
#[derive(Debug, Parser)]
#[command(
    name = "hybridctl",
    version,
    max_term_width = 100,
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The topology file.
    ///
    /// Relative paths inside it (journal, Terraform directory) are relative to its folder.
    #[arg(
        short = 'c',
        long,
        env = "HYBRIDCTL_CONFIG",
        hide_env_values = true,
        default_value = "hybridctl.yaml",
        value_name = "FILE",
        global = true
    )]
    pub config: PathBuf,

    /// AWS profile from the shared config files.
    ///
    /// Wins over AWS_PROFILE and aws.profile in the topology file.
    #[arg(
        long,
        env = "AWS_PROFILE",
        hide_env_values = true,
        value_name = "NAME",
        global = true
    )]
    pub profile: Option<String>,

    /// AWS region of the deployment.
    ///
    /// Wins over AWS_REGION and aws.region in the topology file.
    #[arg(
        long,
        env = "AWS_REGION",
        hide_env_values = true,
        value_name = "REGION",
        global = true
    )]
    pub region: Option<String>,

    /// Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy).
    ///
    /// Wins over AWS_ENDPOINT_URL and aws.endpoint_url in the topology file.
    #[arg(
        long,
        env = "AWS_ENDPOINT_URL",
        hide_env_values = true,
        value_name = "URL",
        global = true
    )]
    pub endpoint_url: Option<String>,

    /// How to print results on stdout.
    ///
    /// `json` prints one document with a `schema` tag, for jq and Jenkins.
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Table, global = true)]
    pub output: OutputFormat,

    /// When to colour the output.
    ///
    /// `auto` colours when stdout is a terminal, NO_COLOR is not set and TERM is not `dumb`.
    /// `never` also draws no progress bar (plain lines, as on a pipe).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", global = true)]
    pub color: ColorChoice,

    /// Print only results and errors: no progress, no warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the topology file, offline: syntax, keys, weights, ARNs, references.
    ///
    /// Makes no AWS call. Reports every problem at once, each as FILE:LINE:COL, and exits 2 when
    /// there is any.
    #[command(
        after_help = "Examples:\n  hybridctl validate -c /etc/hybridctl/prod.yaml\n  hybridctl validate -o json | jq '.problems[]'"
    )]
    Validate(ValidateArgs),

    /// Where traffic goes, whether every site that gets traffic can serve it, replication and DR.
    ///
    /// Reads live AWS state (every independent read at once) and concludes a mode per service
    /// (normal, failed-over, shifted, drift) and findings with severities. Exit 0 when there is
    /// no critical or warning finding, 1 when there is, 3 when a section could not be read
    /// (the other sections are still shown).
    #[command(
        after_help = "Examples:\n  hybridctl status\n  hybridctl status --service web -o json | jq '.services[0].weights'\n  hybridctl status --watch 10s\n  */5 * * * * hybridctl -q status -c /etc/hybridctl/prod.yaml || notify-oncall"
    )]
    Status(StatusArgs),

    /// Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`.
    ///
    /// Reads the rule, plans, checks the safety gates, shows the plan, asks (or needs --yes),
    /// writes only the weights, and reads back until AWS holds them. Sites not named keep their
    /// weights. Audited in the journal and tagged on the rule.
    #[command(
        after_help = "Examples:\n  hybridctl shift-traffic onprem=20 aws=80 --dry-run\n  hybridctl shift-traffic --service web onprem=0 aws=100 --step 10 --interval 1m --yes\n  hybridctl shift-traffic --all onprem=40 aws=60 --reason 'capacity test' --yes"
    )]
    ShiftTraffic(ShiftArgs),

    /// Move the failover.from site's traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100).
    ///
    /// The weights keep their total. Refuses when failover.to has fewer healthy targets than
    /// failover.min_healthy_targets (unless --force). Already failed over: no write, exit 0.
    #[command(
        after_help = "Examples:\n  hybridctl failover --dry-run\n  hybridctl failover --yes --reason 'VPN down'\n  */1 * * * * hybridctl -q failover --if-alarm --all --yes   # cron"
    )]
    Failover(FailoverArgs),

    /// Return to the file's normal weights, gated on health, DMS replication and the alarm.
    ///
    /// Refuses while the DMS task is not running, its CDC latency is above
    /// failover.max_cdc_latency, or the failover alarm is in ALARM (unless --force). Ramps up by
    /// failover.failback_steps when the file sets them.
    #[command(
        after_help = "Examples:\n  hybridctl failback --dry-run\n  hybridctl failback --step 10 --interval 2m --yes\n  */5 * * * * hybridctl -q failback --if-ok-for 15m --all --yes   # cron"
    )]
    Failback(FailbackArgs),

    /// Watch the from-site and fail over (and back) by itself: a service, or --once for cron.
    ///
    /// Each poll is bad (failover.from has fewer healthy targets than
    /// failover.min_healthy_targets, or failover.alarm is in ALARM), good, or unknown (a read
    /// failed: counts neither way). After watch.fail_after bad polls in a row the service fails
    /// over through the same runbook as `failover` (gates, lease, journal, read-back), with
    /// actor `watch`. Failback is notified when ready (watch.hold, watch.ok_for, replication),
    /// and run with watch.auto_failback. With a coordination table, watchers on several hosts
    /// elect one active. SIGTERM finishes the current step and exits 0; SIGHUP reloads the file.
    #[command(
        after_help = "Examples:\n  hybridctl watch                       # as a systemd service (docs/watch.md)\n  hybridctl watch --observe -o json     # decide and log, write nothing\n  * * * * * hybridctl -q watch --once   # cron: one evaluation with persisted state\n  hybridctl watch --unlatch --reason 'site fixed, failback done by hand'"
    )]
    Watch(WatchArgs),

    /// Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it.
    ///
    /// Without a subcommand: the Lambda runtime loop on AWS_LAMBDA_RUNTIME_API. The topology
    /// (HYBRIDCTL_CONFIG, default hybridctl.yaml beside the binary) is validated at cold start
    /// and needs a coordination section. A CloudWatch alarm event (EventBridge or SNS) in
    /// ALARM for failover.alarm fails over through the runbook with actor `lambda`; OK and an
    /// EventBridge schedule make one `watch` evaluation with the state from the coordination
    /// table, under the watcher lease. `lambda package` builds the deployable zip.
    #[command(
        after_help = "Examples:\n  hybridctl lambda package --out hybridctl-lambda.zip   # then deploy it (docs/lambda.md)\n  hybridctl lambda                                     # inside Lambda: the bootstrap runs this"
    )]
    Lambda(LambdaArgs),

    /// DMS replication checks.
    #[command(subcommand)]
    Dms(DmsCommand),

    /// The DR runbook: Route 53 stages, Terraform for the DR stack, readiness.
    #[command(subcommand)]
    Dr(DrCommand),

    /// Cross-host leases in the coordination table: who holds what, and breaking a stuck one.
    #[command(subcommand)]
    Lease(LeaseCommand),

    /// Every change hybridctl made, newest first, from any host.
    ///
    /// Reads the coordination table's shared history when the topology has a coordination
    /// section (every host's changes), else this host's journal.
    #[command(
        after_help = "Examples:\n  hybridctl history\n  hybridctl history --service web --since 7d --limit 20\n  hybridctl history -o json | jq '.records[] | select(.kind == \"change\")'"
    )]
    History(HistoryArgs),

    /// Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS.
    ///
    /// Reads the listener, its rules, their target groups and targets (read-only calls), keeps
    /// every forward to two or more target groups (a rule's, or the listener's default action),
    /// and guesses each target group's site: on-prem when its IP targets are registered with
    /// Availability Zone `all` or lie outside every --vpc-cidr, AWS for instance/Lambda targets
    /// or IPs inside the VPC, else `unknown` (edit me). The current weights become the normal
    /// weights. Every guess carries a `# guessed:` comment; the draft is validated. Needs no
    /// topology file (-c is ignored); the calls go to the listener ARN's region.
    #[command(
        after_help = "Examples:\n  hybridctl init --listener-arn arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2 \\\n      --vpc-cidr 10.0.0.0/16 --out hybridctl.yaml\n  hybridctl init --listener-arn ARN --rule-arn RULE_ARN > draft.yaml"
    )]
    Init(InitArgs),

    /// Print a least-privilege IAM policy for the given commands (default: all).
    ///
    /// Names the topology's ARNs wherever IAM allows resource-level permissions (listener rules,
    /// listeners, the failover alarm, the DR hosted zone, RDS, the coordination table), `*`
    /// only where AWS allows nothing narrower, and condition keys that narrow the writes
    /// (AddTags only hybridctl's tag key, Route 53 UPSERT of the DR record only, DynamoDB only
    /// the history, lease, watch and dr-pending partitions: the shared history, the leases, the
    /// watcher's state and the automatic DRs waiting for approval). Prints the policy
    /// document; with -o json, a report holding it. See docs/iam.md.
    #[command(
        after_help = "Examples:\n  hybridctl iam-policy > hybridctl-policy.json\n  hybridctl iam-policy status dms-check-binlog\n  hybridctl iam-policy failover failback | aws iam create-policy --policy-name hybridctl-failover --policy-document file:///dev/stdin"
    )]
    IamPolicy(IamPolicyArgs),
    /// Overflow to AWS when on-prem runs hot: evaluate each service's Prometheus query once.
    ///
    /// Prints each service's value, thresholds and decision: exit 0 when nothing is due, 1 when
    /// a change is due (or refused: a failover in force wins over overflow), 3 when a query
    /// failed. `for` is measured across runs from a state file beside the journal. With
    /// --apply --yes the change goes through shift-traffic's runbook (gates, lease, journal,
    /// read-back).
    #[command(
        after_help = "Examples:\n  hybridctl overflow\n  hybridctl overflow --service web -o json | jq '.services[0].value'\n  * * * * * hybridctl -q overflow --apply --yes -c /etc/hybridctl/prod.yaml   # cron"
    )]
    Overflow(OverflowArgs),

    /// Practise a failover: shift to failover.to, hold, judge, return to the weights before.
    ///
    /// Preflight: drill.blocking_alarms, failover.alarm and drill.outcome_alarms must not be in
    /// ALARM, and the shift must pass a traffic change's gates (health, capacity). The shift
    /// and the return are ordinary runbook writes (lock, lease, journal, read-back, tag) with
    /// explicit weights. During the hold: outcome alarms, both sites' health, failover.alarm and
    /// the receiving target group's CloudWatch metrics. Ends `passed` (exit 0), `failed` (an
    /// outcome alarm, the receiving site, a threshold: traffic returns; exit 1), `aborted` (a
    /// real failure of failover.from: no return to it; exit 1) or `refused` (exit 1). A signal
    /// during the hold returns the traffic first, then exits 130/143/129. See docs/drill.md.
    #[command(
        after_help = "Examples:\n  hybridctl drill --service web --dry-run\n  hybridctl drill --service web --share 50 --hold 15m --yes --reason 'weekly drill'\n  hybridctl drill --all --failover --hold 30m --yes -o json | jq '.drills[].outcome'"
    )]
    Drill(DrillArgs),

    /// Generate shell completions, the man page, the CLI reference or the topology file's JSON Schema.
    #[command(hide = true)]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// Drill this service (repeatable). Needed, or --all, when the file has several.
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,

    /// Drill every service in the file, one after the other.
    #[arg(long, conflicts_with = "service")]
    pub all: bool,

    /// The % of traffic failover.to takes during the drill, 1..100 (default: drill.share, else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100), conflicts_with = "failover")]
    pub share: Option<u32>,

    /// A full failover drill: failover.to takes all of failover.from's traffic (share 100).
    #[arg(long)]
    pub failover: bool,

    /// How long to hold the traffic there (default: drill.hold, else 30m).
    ///
    /// The hold polls every tenth of it, between 1s and 30s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true)]
    pub hold: Option<std::time::Duration>,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Preflight and show the shift's plan; change nothing (exit 0 when it would start, 1 when not).
    #[arg(long)]
    pub dry_run: bool,

    /// Why, for the journal and the rule's tag.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum LeaseCommand {
    /// Every live lease: the resource, its holder (user@host, pid, command, reason), since,
    /// expiry and fencing generation.
    #[command(after_help = "Examples:\n  hybridctl lease status\n  hybridctl lease status -o json")]
    Status,

    /// Break a lease (a holder that cannot release it). Journaled; the holder's next write
    /// stops because its lease is lost.
    #[command(
        after_help = "Examples:\n  hybridctl lease break 'arn:aws:elasticloadbalancing:...:listener-rule/app/...' --reason 'mgmt01 is gone'"
    )]
    Break(LeaseBreakArgs),
}

#[derive(Debug, Args)]
pub struct LeaseBreakArgs {
    /// The lease's id: the resource it covers, as `lease status` shows it.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Why, for the journal (required).
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct LambdaArgs {
    #[command(subcommand)]
    pub command: Option<LambdaCommand>,
}

#[derive(Debug, Subcommand)]
pub enum LambdaCommand {
    /// Build the deployable zip: bootstrap, the binary, the validated topology.
    ///
    /// Refuses a binary that needs a glibc newer than provided.al2023's 2.34 (build it with
    /// scripts/release's portable build).
    #[command(
        after_help = "Examples:\n  hybridctl -c prod.yaml lambda package --out hybridctl-lambda.zip"
    )]
    Package(PackageArgs),
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Where to write the zip.
    #[arg(long, value_name = "FILE", default_value = "hybridctl-lambda.zip")]
    pub out: PathBuf,

    /// The binary to package (default: this one).
    ///
    /// It must run on provided.al2023: its highest required glibc symbol version is at most
    /// 2.34.
    #[arg(long, value_name = "FILE")]
    pub binary: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this service's records.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,

    /// Only records this recent.
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = parse_duration, allow_hyphen_values = true)]
    pub since: std::time::Duration,

    /// At most this many records.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,

    /// Only records of this kind: drill (how each drill ended), change, intent, outcome, step,
    /// warning.
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<RecordKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordKind {
    Drill,
    Change,
    Intent,
    Outcome,
    Step,
    Warning,
}

impl RecordKind {
    /// The journal's `kind` for it.
    pub fn word(self) -> &'static str {
        match self {
            RecordKind::Drill => "drill",
            RecordKind::Change => "change",
            RecordKind::Intent => "intent",
            RecordKind::Outcome => "outcome",
            RecordKind::Step => "step",
            RecordKind::Warning => "warning",
        }
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The ALB listener to read (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/...`).
    #[arg(
        long,
        value_name = "ARN",
        required_unless_present = "zone_id",
        conflicts_with = "zone_id"
    )]
    pub listener_arn: Option<String>,

    /// Only these rules of the listener (repeatable); default: every rule and the default action.
    #[arg(long, value_name = "ARN", conflicts_with = "zone_id")]
    pub rule_arn: Vec<String>,

    /// Draft a dns service instead, from the weighted records of --record in this Route 53
    /// hosted zone (docs/dns.md).
    #[arg(long, value_name = "ZONE_ID", requires = "record")]
    pub zone_id: Option<String>,

    /// The record name whose weighted records split the service (with --zone-id).
    #[arg(long, value_name = "NAME", requires = "zone_id")]
    pub record: Option<String>,

    /// The record type (with --zone-id): A, AAAA or CNAME.
    #[arg(long = "type", value_name = "TYPE", default_value = "A", value_parser = ["A", "AAAA", "CNAME"], requires = "zone_id")]
    pub record_type: String,

    /// Write the draft here (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace --out when it exists (without it, an existing file is refused, exit 2).
    #[arg(long, requires = "out")]
    pub force: bool,

    /// A CIDR block of the load balancer's VPC (repeatable; include secondary blocks).
    ///
    /// IP targets outside every block are on-prem, targets all inside are AWS. Without it, init
    /// reads the blocks of the load balancer's VPC itself (ec2:DescribeVpcs); when that read
    /// fails (it says why), only targets registered with Availability Zone `all` are recognised
    /// as on-prem, and the other target group of a two-group forward with such an on-prem group
    /// is taken as AWS.
    #[arg(long, value_name = "CIDR", conflicts_with = "zone_id")]
    pub vpc_cidr: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// Commands to allow: status, shift-traffic, failover, failback, dms-check-binlog,
    /// dr-status, dr-provision, dr-failback, dr-pending, dr-approve, dr-deny, lease-status,
    /// lease-break, history, init, watch, lambda, overflow, drill (`"dms check-binlog"` also
    /// works). Default: all.
    #[arg(value_name = "COMMAND")]
    pub commands: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Show only this service (repeatable).
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,

    /// Refresh every INTERVAL until Ctrl-C (default 5s).
    ///
    /// On a terminal the screen is redrawn in place; otherwise one line is printed per change
    /// (with -o json, one document per refresh).
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "5s", value_parser = parse_interval)]
    pub watch: Option<std::time::Duration>,
}

#[derive(Debug, Args)]
pub struct OverflowArgs {
    /// Evaluate only this service (repeatable); default: every service with overflow.
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,

    /// Make the change that is due, through the runbook (needs --yes).
    #[arg(long, requires = "yes")]
    pub apply: bool,

    /// Do not ask for confirmation (required with --apply).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Evaluate and print only: neither the state file nor AWS is changed.
    #[arg(long, conflicts_with = "apply")]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum DmsCommand {
    /// Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC.
    ///
    /// Checks the binlog (on, ROW, FULL, checksum vs the DMS version, retention, resume
    /// position), automated backups, applied parameter groups, Aurora parameter scope and
    /// writer, replica settings, compression, grants, version, TLS, the connection test and the
    /// task. Each check says PASS, WARN, FAIL or SKIP (with why) and, when something is wrong,
    /// the command that fixes it. With SQL (replication.sql in the file, or --sql) the live
    /// values win over the parameter groups; the password comes from the environment variable
    /// named in replication.sql.password_env (HYBRIDCTL_SQL_PASSWORD with --sql alone).
    #[command(
        after_help = "Examples:\n  HYBRIDCTL_SQL_PASSWORD=... hybridctl dms check-binlog\n  hybridctl dms check-binlog --no-sql -o json | jq '.checks[] | select(.verdict == \"FAIL\")'\n  hybridctl dms check-binlog --strict   # WARN fails too"
    )]
    CheckBinlog(CheckBinlogArgs),
}

#[derive(Debug, Subcommand)]
pub enum DrCommand {
    /// Route 53 weights, the named stage they match, health checks, the DR ready target group,
    /// and any provision in progress.
    #[command(
        after_help = "Examples:\n  hybridctl dr status\n  hybridctl dr status -o json | jq .stage"
    )]
    Status,

    /// Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to
    /// `recovered`. Resumable.
    ///
    /// Each step is recorded next to the journal: run it again after a crash, Ctrl-C or a
    /// failed apply and it resumes from the first step not done; a step already in its target
    /// state is skipped without a write. A failed apply leaves traffic on `building`.
    #[command(
        after_help = "Examples:\n  hybridctl dr provision --dry-run     # the plan, and terraform plan\n  hybridctl dr provision --yes --reason 'Seoul outage'\n  hybridctl dr provision --yes --skip-terraform   # DR stack built out of band"
    )]
    Provision(DrProvisionArgs),

    /// Back to the `normal` stage once the primary is healthy (its health check passes, or
    /// --force); --destroy then removes the DR stack with terraform destroy.
    #[command(
        after_help = "Examples:\n  hybridctl dr failback --dry-run\n  hybridctl dr failback --yes --destroy"
    )]
    Failback(DrFailbackArgs),

    /// Automatic DRs waiting for a person's approval (dr.auto.approve), from the coordination
    /// table.
    #[command(
        after_help = "Examples:\n  hybridctl dr pending\n  hybridctl dr pending -o json | jq -r '.pending[].run'"
    )]
    Pending,

    /// Approve a pending automatic DR: the watcher starts `dr provision` at its next poll.
    ///
    /// Works from any host with the coordination table; your identity (user@host) is recorded
    /// in the table, the journal and the shared history. Refused (exit 1) once the DR was
    /// answered or its deadline passed.
    #[command(
        after_help = "Examples:\n  hybridctl dr approve dr-1767225600-4242 --reason 'Seoul region down, confirmed with AWS'"
    )]
    Approve(DrAnswerArgs),

    /// Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr).
    #[command(
        after_help = "Examples:\n  hybridctl dr deny dr-1767225600-4242 --reason 'false alarm'"
    )]
    Deny(DrAnswerArgs),
}

#[derive(Debug, Args)]
pub struct DrAnswerArgs {
    /// The pending DR's id, as `dr pending` and the notification say.
    #[arg(value_name = "RUN_ID")]
    pub run: String,

    /// Why, for the journal and the table.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct DrProvisionArgs {
    /// Show the plan and run `terraform plan -json`; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Apply a stage even if all its weight goes to records whose health checks fail.
    #[arg(long)]
    pub force: bool,

    /// The DR stack was built out of band: do not run Terraform.
    #[arg(long)]
    pub skip_terraform: bool,

    /// Why, for the journal.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Break glass: change without the cross-host lease when DynamoDB itself cannot be reached.
    ///
    /// Needs --reason; journaled and tagged. Refused when the coordination table is reachable
    /// and a live lease exists on what this run changes.
    #[arg(long)]
    pub no_lease: bool,

    /// How long to wait for another hybridctl run changing the same thing on this host.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, allow_hyphen_values = true)]
    pub lock_timeout: std::time::Duration,

    /// How long to wait for each Route 53 change to reach INSYNC (all of Route 53's servers).
    ///
    /// Route 53 usually takes about 60 s; a change still PENDING after this fails the step (the
    /// change itself stays submitted; a rerun reads the live stage and resumes).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration, allow_hyphen_values = true)]
    pub insync_timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct DrFailbackArgs {
    /// Show the plan and the gate; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Fail back although the primary's health check fails.
    #[arg(long)]
    pub force: bool,

    /// Then run terraform destroy for the DR stack.
    #[arg(long)]
    pub destroy: bool,

    /// Why, for the journal.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Break glass: change without the cross-host lease when DynamoDB itself cannot be reached.
    ///
    /// Needs --reason; journaled and tagged. Refused when the coordination table is reachable
    /// and a live lease exists on what this run changes.
    #[arg(long)]
    pub no_lease: bool,

    /// How long to wait for another hybridctl run changing the same thing on this host.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, allow_hyphen_values = true)]
    pub lock_timeout: std::time::Duration,

    /// How long to wait for each Route 53 change to reach INSYNC (all of Route 53's servers).
    ///
    /// Route 53 usually takes about 60 s; a change still PENDING after this fails the step (the
    /// change itself stays submitted; a rerun reads the live stage and resumes).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration, allow_hyphen_values = true)]
    pub insync_timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct CheckBinlogArgs {
    /// Also connect to the source with SQL, even when replication.sql is not set (the DMS
    /// endpoint's server and user, password from HYBRIDCTL_SQL_PASSWORD).
    #[arg(long, conflicts_with = "no_sql")]
    pub sql: bool,

    /// Only the AWS API checks, even when replication.sql is set.
    #[arg(long)]
    pub no_sql: bool,

    /// Fail (exit 1) on WARN too.
    #[arg(long)]
    pub strict: bool,
}

/// What every traffic command takes.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Act on this service (repeatable). Needed, or --all, when the file has several.
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,

    /// Act on every service in the file.
    #[arg(long, conflicts_with = "service")]
    pub all: bool,

    /// Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not).
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Go ahead although safety gates fail; the journal records which were forced.
    #[arg(long)]
    pub force: bool,

    /// Why, for the journal and the rule's tag.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Move at most N percentage points per step (gradual shift).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub step: Option<u32>,

    /// Wait this long between steps (with --step or failback steps), re-checking health gates.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, allow_hyphen_values = true)]
    pub interval: std::time::Duration,

    /// What to do when a gate fails between steps: stop where it is, or roll back to the start.
    #[arg(long, value_enum, default_value_t = OnFailure::Stop, value_name = "ACTION")]
    pub on_failure: OnFailure,

    /// Break glass: change without the cross-host lease when DynamoDB itself cannot be reached.
    ///
    /// Needs --reason; journaled and tagged. Refused when the coordination table is reachable
    /// and a live lease exists on what this run changes.
    #[arg(long)]
    pub no_lease: bool,

    /// How long to wait for another hybridctl run changing the same service on this host.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, allow_hyphen_values = true)]
    pub lock_timeout: std::time::Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnFailure {
    Stop,
    Rollback,
}

#[derive(Debug, Args)]
pub struct ShiftArgs {
    /// New weights as SITE=WEIGHT (0..999, relative), e.g. onprem=20 aws=80.
    #[arg(value_name = "SITE=WEIGHT", required = true)]
    pub weights: Vec<String>,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Args)]
pub struct FailoverArgs {
    /// Act only when the failover alarm is in ALARM; otherwise print "no action" and exit 0.
    #[arg(long)]
    pub if_alarm: bool,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Args)]
pub struct FailbackArgs {
    /// Act only when the failover alarm has been OK this long and every gate passes;
    /// otherwise print "no action" and exit 0.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true)]
    pub if_ok_for: Option<std::time::Duration>,

    #[command(flatten)]
    pub change: ChangeArgs,
}

/// Which latch `watch --unlatch` clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Unlatch {
    /// The automatic failovers' latch (watch.max_auto_failovers).
    Failover,
    /// Automatic DR's latch (dr.auto fires once per outage).
    Dr,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Decide and log, never write: no AWS change, and the shared state is left alone.
    #[arg(long)]
    pub observe: bool,

    /// One evaluation with the persisted state, then exit (cron). Exit 1 when an action was
    /// refused or failed, 3 when the state could not be read or written.
    #[arg(long)]
    pub once: bool,

    /// Clear a latch so the watcher acts again: `failover` (the default: the latch set after
    /// watch.max_auto_failovers) or `dr` (set once automatic DR fired, dr.auto).
    #[arg(long, value_name = "WHAT", num_args = 0..=1, default_missing_value = "failover", requires = "reason", conflicts_with_all = ["observe", "once"])]
    pub unlatch: Option<Unlatch>,

    /// Why (journaled), with --unlatch.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Serve /metrics, /healthz and /readyz on IP:PORT (wins over watch.listen). A
    /// non-loopback address needs watch.listen_allow_remote: true in the file.
    #[arg(long, value_name = "ADDR", value_parser = parse_listen, conflicts_with_all = ["once", "unlatch"])]
    pub listen: Option<std::net::SocketAddr>,
}

fn parse_listen(s: &str) -> Result<std::net::SocketAddr, String> {
    crate::topology::values::listen_address(s)
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    crate::duration::parse(s)
}

fn parse_interval(s: &str) -> Result<std::time::Duration, String> {
    let d = crate::duration::parse(s)?;
    if d < std::time::Duration::from_secs(1) {
        return Err("the interval must be at least 1s".into());
    }
    Ok(d)
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub what: GenerateWhat,
}

#[derive(Debug, Subcommand)]
pub enum GenerateWhat {
    /// Shell completions on stdout.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The man page (roff) on stdout.
    Man,
    /// The CLI reference (Markdown) on stdout.
    CliReference,
    /// The topology file's JSON Schema on stdout, for editors (yaml-language-server).
    Schema,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    use super::Cli;

    /// Every `--flag DURATION`, with the subcommand path that has it.
    fn duration_flags(cmd: &clap::Command, path: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
        for a in cmd.get_arguments() {
            let takes_duration = a
                .get_value_names()
                .is_some_and(|n| n.iter().any(|n| n == "DURATION"));
            if let (true, Some(long)) = (takes_duration, a.get_long()) {
                let mut argv = path.clone();
                argv.push(format!("--{long}"));
                found.push(argv);
            }
        }
        for sub in cmd.get_subcommands() {
            path.push(sub.get_name().to_string());
            duration_flags(sub, path, found);
            path.pop();
        }
    }

    #[test]
    fn a_negative_duration_is_refused_as_a_duration_not_taken_for_a_flag() {
        let mut found = Vec::new();
        duration_flags(&Cli::command(), &mut vec![], &mut found);
        assert!(found.len() >= 8, "{found:?}");
        for argv in found {
            for value in ["-1s", "-5m", "-1"] {
                let args = std::iter::once("hybridctl".to_string())
                    .chain(argv.iter().cloned())
                    .chain([value.to_string()]);
                let err = Cli::command().try_get_matches_from(args).unwrap_err();
                assert_eq!(
                    err.kind(),
                    ErrorKind::ValueValidation,
                    "{argv:?} {value}: {err}"
                );
                let text = err.to_string();
                assert!(
                    text.contains(&format!(
                        "invalid duration `{value}`: a duration cannot be negative"
                    )),
                    "{argv:?} {value}: {text}"
                );
                assert_eq!(err.exit_code(), 2);
            }
        }
    }
}
