//! Writes the benchmarks' synthetic 10,000-note vault into a folder, so
//! whole-process figures (`strata check`, opening the GUI) can be measured:
//!
//! ```sh
//! cargo run --release --example synthetic_vault -- /tmp/vault10k
//! time target/release/strata check /tmp/vault10k
//! ```

#[path = "../benches/support/vault_gen.rs"]
mod vault_gen;

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: synthetic_vault DIR");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!("{}: folder is not empty", dir.display());
        return std::process::ExitCode::from(2);
    }
    vault_gen::build_vault(&dir);
    println!("wrote {} notes to {}", vault_gen::NOTES + 1, dir.display());
    std::process::ExitCode::SUCCESS
}
