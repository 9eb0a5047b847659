//! The `kezek` binary: the command line over the services of `kezek-core` and the web server.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
