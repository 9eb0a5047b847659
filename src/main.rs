//! The `kezek` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    kezek::cli::main()
}
