//! Embeds the bundled samples vault: writes `$OUT_DIR/samples.rs`, a table
//! of (vault-relative path, `include_bytes!`) for every file under
//! `samples/`, so the binary carries the vault and runs from a bare folder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    let mut entries = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name();
        // Dot-entries are Strata's own state (.strata/) or editor litter:
        // the vault scanner skips them too.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = e.file_type()?;
        if kind.is_dir() {
            collect(root, &path, out)?;
        } else if kind.is_file() {
            let rel = path
                .strip_prefix(root)
                .map_err(std::io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
    Ok(())
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let samples = manifest.join("samples");
    println!("cargo:rerun-if-changed=build.rs");
    // Cargo scans a directory given here recursively for changed mtimes.
    println!("cargo:rerun-if-changed=samples");
    let mut files = Vec::new();
    collect(&samples, &samples, &mut files).expect("reading samples/");
    let mut code = String::from("pub static SAMPLES: &[(&str, &[u8])] = &[\n");
    // Paths relative to the crate being compiled, not absolute: two
    // checkouts sharing one target dir (a CI clone beside the working tree)
    // reuse this file, and must each read their own samples.
    for (rel, _) in &files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/samples/{rel}")
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("samples.rs");
    std::fs::write(out, code).expect("writing samples.rs");
    windows_icon(&manifest);
}

/// Gives strata.exe its icon in Explorer and on the taskbar; the MSI's
/// Start-menu shortcut carries its own copy (wix/main.wxs).
#[cfg(windows)]
fn windows_icon(manifest: &Path) {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let ico = manifest.join("assets/icons/strata.ico");
    println!("cargo:rerun-if-changed={}", ico.display());
    let mut res = winresource::WindowsResource::new();
    res.set_icon(&ico.to_string_lossy());
    // A machine without the Windows SDK's resource compiler still gets a
    // working binary, only without the icon.
    if let Err(e) = res.compile() {
        println!("cargo:warning=strata.exe built without its icon: {e}");
    }
}

#[cfg(not(windows))]
fn windows_icon(_manifest: &Path) {}
