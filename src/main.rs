use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = hybridctl::cli::Cli::parse();
    ExitCode::from(hybridctl::run(cli).code())
}
