//! Removes hinting from the bundled font once, at build time, so that
//! neither measuring nor PDF embedding pays for it at run time (see
//! `src/render/dehint.rs`; outlines, glyph ids and advances are unchanged).

#[allow(dead_code)]
#[path = "src/render/dehint.rs"]
mod dehint;

fn main() {
    let src = "fonts/BIZUDGothic-Regular.ttf";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=src/render/dehint.rs");
    let font = std::fs::read(src).expect("the bundled font is in fonts/");
    let plain = dehint::dehint(&font).expect("the bundled font is a TrueType font");
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("BIZUDGothic-Regular.plain.ttf"), plain).unwrap();
    // The source file's SHA-256, for archive manifests.
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&font).iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(out_dir.join("BIZUDGothic-Regular.sha256"), hex).unwrap();
}
