//! Renders the application icon `assets/icons/strata.svg` into everything
//! the platforms want: PNGs 16–512 px (Linux hicolor theme, window icon),
//! `strata.ico` (Windows installer shortcut) and `strata.icns` (macOS bundle).
//!
//! `cargo run --example render_icons` (from the repository root) rewrites
//! the files in `assets/icons/`; they are committed so that packaging needs
//! no image tools. `--check` renders in memory and fails if a committed file
//! differs, which catches an SVG edit without regenerated icons.

use resvg::{tiny_skia, usvg};
use std::path::Path;
use std::process::ExitCode;

const SRC: &str = "assets/icons/strata.svg";
const OUT: &str = "assets/icons";
/// Sizes of `png/strata-<n>.png` (the hicolor sizes desktops look up).
const PNG_SIZES: &[u32] = &[16, 24, 32, 48, 64, 128, 256, 512];
/// Windows picks the nearest of these for shortcuts, Start menu and Explorer.
const ICO_SIZES: &[u32] = &[16, 24, 32, 48, 64, 256];
/// ICNS element types with PNG payloads and their pixel size. macOS 10.7+
/// reads PNG data in all of them; `ic11`–`ic14` are the @2x variants.
const ICNS_TYPES: &[(&[u8; 4], u32)] = &[
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
];

fn render(tree: &usvg::Tree, px: u32) -> Result<Vec<u8>, String> {
    let mut pixmap = tiny_skia::Pixmap::new(px, px).ok_or("zero-sized icon")?;
    let scale = px as f32 / tree.size().width();
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// ICO container: a directory of 16-byte entries followed by PNG images
/// (PNG entries are valid since Windows Vista).
fn ico(images: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // type: icon
    out.extend_from_slice(&(images.len() as u16).to_le_bytes());
    let mut offset = 6 + 16 * images.len() as u32;
    for (px, png) in images {
        // 256 is stored as 0: the field is one byte.
        let dim = if *px >= 256 { 0 } else { *px as u8 };
        out.extend_from_slice(&[dim, dim, 0, 0]);
        out.extend_from_slice(&1u16.to_le_bytes()); // colour planes
        out.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
        out.extend_from_slice(&(png.len() as u32).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        offset += png.len() as u32;
    }
    for (_, png) in images {
        out.extend_from_slice(png);
    }
    out
}

/// ICNS container: `icns`, total length, then (type, length incl. header,
/// data) elements, all lengths big-endian.
fn icns(elements: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let total: usize = 8 + elements.iter().map(|(_, d)| 8 + d.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"icns");
    out.extend_from_slice(&(total as u32).to_be_bytes());
    for (kind, data) in elements {
        out.extend_from_slice(*kind);
        out.extend_from_slice(&((8 + data.len()) as u32).to_be_bytes());
        out.extend_from_slice(data);
    }
    out
}

fn outputs() -> Result<Vec<(String, Vec<u8>)>, String> {
    let svg =
        std::fs::read(SRC).map_err(|e| format!("{SRC}: {e} (run from the repository root)"))?;
    let tree = usvg::Tree::from_data(&svg, &usvg::Options::default())
        .map_err(|e| format!("{SRC}: invalid SVG: {e}"))?;
    let mut cache: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut png = |px: u32| -> Result<Vec<u8>, String> {
        if let Some((_, data)) = cache.iter().find(|(p, _)| *p == px) {
            return Ok(data.clone());
        }
        let data = render(&tree, px)?;
        cache.push((px, data.clone()));
        Ok(data)
    };
    let mut files = Vec::new();
    for &px in PNG_SIZES {
        files.push((format!("png/strata-{px}.png"), png(px)?));
    }
    let ico_images = ICO_SIZES
        .iter()
        .map(|&px| png(px).map(|d| (px, d)))
        .collect::<Result<Vec<_>, _>>()?;
    files.push(("strata.ico".into(), ico(&ico_images)));
    let icns_elements = ICNS_TYPES
        .iter()
        .map(|&(kind, px)| png(px).map(|d| (kind, d)))
        .collect::<Result<Vec<_>, _>>()?;
    files.push(("strata.icns".into(), icns(&icns_elements)));
    Ok(files)
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let files = match outputs() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("render_icons: {e}");
            return ExitCode::from(2);
        }
    };
    let mut stale = 0;
    for (name, data) in files {
        let path = Path::new(OUT).join(&name);
        if check {
            if std::fs::read(&path).ok().as_deref() != Some(data.as_slice()) {
                eprintln!("{}: out of date with {SRC}", path.display());
                stale += 1;
            }
            continue;
        }
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &data));
        if let Err(e) = written {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("{} ({} bytes)", path.display(), data.len());
    }
    if stale > 0 {
        eprintln!("regenerate with: cargo run --example render_icons");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ico_directory_points_at_each_image() {
        let images = vec![(16, vec![1u8; 10]), (256, vec![2u8; 20])];
        let data = ico(&images);
        assert_eq!(&data[..6], &[0, 0, 1, 0, 2, 0]);
        // Second entry: width byte 0 means 256, offset after both entries + first image.
        assert_eq!(data[6 + 16], 0);
        let off = u32::from_le_bytes(data[6 + 16 + 12..6 + 16 + 16].try_into().unwrap());
        assert_eq!(off as usize, 6 + 32 + 10);
        assert_eq!(&data[off as usize..], &[2u8; 20]);
    }

    #[test]
    fn icns_lengths_are_big_endian_and_cover_the_file() {
        let data = icns(&[(b"ic07", vec![9u8; 5])]);
        assert_eq!(&data[..4], b"icns");
        assert_eq!(
            u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize,
            data.len()
        );
        assert_eq!(&data[8..12], b"ic07");
        assert_eq!(u32::from_be_bytes(data[12..16].try_into().unwrap()), 13);
    }
}
