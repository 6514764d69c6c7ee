//! Command-line types only: what the user can type. No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    the answer is \"no\": degraded status, failed check, refused safety gate
  2    usage or topology file error; nothing was changed
  3    AWS or operational failure
  130  interrupted (Ctrl-C)";

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
    /// `auto` colours when stdout is a terminal and NO_COLOR is not set.
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

    /// Generate shell completions, the man page or the CLI reference.
    #[command(hide = true)]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {}

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
}
