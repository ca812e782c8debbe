//! Removes hinting from the bundled fonts once, at build time, so that
//! neither measuring nor PDF embedding pays for it at run time (see
//! `src/render/dehint.rs`; outlines, glyph ids and advances are unchanged).

#[allow(dead_code)]
#[path = "src/render/dehint.rs"]
mod dehint;

/// Writes the list of bundled files of a folder: every `*.json` in it, by
/// name (the file stem), so that a new official table is a new file in
/// `layouts/` (and its shape in `layouts/shapes/`) and nothing else.
fn bundle(out_dir: &std::path::Path, folder: &str, out: &str) {
    println!("cargo:rerun-if-changed={folder}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("layouts/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    // The 資料２ layout (and data) of the bundled example first, then by name.
    names.sort_by_key(|n| (n != "shiryo2-dai5ki" && n != "dai5ki", n.clone()));
    let mut code = String::from("&[\n");
    for n in names {
        let path = dir.join(format!("{n}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({n:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push(']');
    std::fs::write(out_dir.join(out), code).unwrap();
}

fn main() {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/render/dehint.rs");
    // The regular and the bold face: each without hinting, with the source
    // file's SHA-256 (for archive manifests) and its size (so that a
    // manifest never depends on the working directory).
    for stem in ["BIZUDGothic-Regular", "BIZUDGothic-Bold"] {
        let src = format!("fonts/{stem}.ttf");
        println!("cargo:rerun-if-changed={src}");
        let font = std::fs::read(&src).expect("the bundled fonts are in fonts/");
        let plain = dehint::dehint(&font).expect("the bundled fonts are TrueType fonts");
        std::fs::write(out_dir.join(format!("{stem}.plain.ttf")), plain).unwrap();
        use sha2::Digest;
        let hex: String = sha2::Sha256::digest(&font).iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(out_dir.join(format!("{stem}.sha256")), hex).unwrap();
        std::fs::write(out_dir.join(format!("{stem}.size")), font.len().to_string()).unwrap();
    }
    bundle(&out_dir, "layouts", "bundled_layouts.rs");
    bundle(&out_dir, "layouts/shapes", "bundled_shapes.rs");
    bundle(&out_dir, "data", "bundled_data.rs");
}
