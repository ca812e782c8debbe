//! Fonts: the bundled BIZ UDGothic, or a system family found with fontdb.

use crate::diag::Problem;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

const LOOKED_UP: u32 = 1 << 31;
const PRESENT: u32 = 1 << 30;

/// The bundled regular face (BIZ UDGothic, SIL OFL 1.1; see `fonts/OFL.txt`),
/// as `fonts/BIZUDGothic-Regular.ttf` without its hinting instructions
/// (removed at build time; outlines and metrics are those of the file).
pub static BUNDLED_REGULAR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/BIZUDGothic-Regular.plain.ttf"));
/// The SHA-256 (hex) of `fonts/BIZUDGothic-Regular.ttf`, the file the
/// bundled face was built from.
pub const BUNDLED_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/BIZUDGothic-Regular.sha256"));
/// The size in bytes of the font file the bundled face was built from.
pub const BUNDLED_BYTES: &str = include_str!(concat!(env!("OUT_DIR"), "/BIZUDGothic-Regular.size"));
/// The path of the bundled font's source file in the repository.
pub const BUNDLED_PATH: &str = "fonts/BIZUDGothic-Regular.ttf";
/// The bundled bold face, as `fonts/BIZUDGothic-Bold.ttf` without its
/// hinting instructions (like [`BUNDLED_REGULAR`]).
pub static BUNDLED_BOLD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/BIZUDGothic-Bold.plain.ttf"));
/// The SHA-256 (hex) of `fonts/BIZUDGothic-Bold.ttf`.
pub const BUNDLED_BOLD_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/BIZUDGothic-Bold.sha256"));
/// The size in bytes of `fonts/BIZUDGothic-Bold.ttf`.
pub const BUNDLED_BOLD_BYTES: &str = include_str!(concat!(env!("OUT_DIR"), "/BIZUDGothic-Bold.size"));
/// The path of the bundled bold face's source file in the repository.
pub const BUNDLED_BOLD_PATH: &str = "fonts/BIZUDGothic-Bold.ttf";

/// A font built into shiryo: its bytes as embedded, and the path, SHA-256
/// and size of the file in `fonts/` it was built from (for manifests).
#[derive(Debug, Clone, Copy)]
pub struct BundledFile {
    /// The face's bytes as built in (without hinting).
    pub data: &'static [u8],
    /// The source file's path in the repository.
    pub path: &'static str,
    /// The source file's SHA-256 (hex).
    pub sha256: &'static str,
    /// The source file's size in bytes.
    pub bytes: u64,
}

/// The bundled font files: the regular face, then the bold.
pub fn bundled_files() -> [BundledFile; 2] {
    [
        BundledFile {
            data: BUNDLED_REGULAR,
            path: BUNDLED_PATH,
            sha256: BUNDLED_SHA256,
            bytes: BUNDLED_BYTES.parse().unwrap_or(0),
        },
        BundledFile {
            data: BUNDLED_BOLD,
            path: BUNDLED_BOLD_PATH,
            sha256: BUNDLED_BOLD_SHA256,
            bytes: BUNDLED_BOLD_BYTES.parse().unwrap_or(0),
        },
    ]
}

/// The bundled file a face was built from, if it is one.
pub fn bundled_file(face: &Face) -> Option<BundledFile> {
    bundled_files().into_iter().find(|b| std::ptr::eq(face.data, b.data))
}
/// The family name of the bundled font.
pub const BUNDLED_FAMILY: &str = "BIZ UDGothic";

/// One font face with cached glyph lookups.
pub struct Face {
    /// The font file's bytes.
    pub data: &'static [u8],
    /// Index of the face in a collection.
    pub index: u32,
    /// Family name as the layout named it.
    pub family: String,
    /// Where the face came from (`bundled` or a file path), for manifests.
    pub source: String,
    face: ttf_parser::Face<'static>,
    upem: f32,
    /// Glyph id and advance of Basic Multilingual Plane characters, filled
    /// on first use: bit 31 set once looked up, bit 30 set when the font has
    /// the glyph, bits 16–29 the advance in font units, bits 0–15 the id.
    bmp: Vec<AtomicU32>,
    /// The same for characters beyond the BMP.
    other: Mutex<HashMap<char, Option<(u16, f32)>>>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Face({}, {})", self.family, self.source)
    }
}

impl Face {
    /// Parses a face from bytes that live as long as the program.
    pub fn new(data: &'static [u8], index: u32, family: &str, source: &str) -> Result<Face, String> {
        let face = ttf_parser::Face::parse(data, index)
            .map_err(|e| crate::lang::tr!("cannot parse the font: {error}", error = e))?;
        let upem = face.units_per_em() as f32;
        Ok(Face {
            data,
            index,
            family: family.to_string(),
            source: source.to_string(),
            face,
            upem,
            bmp: (0..0x1_0000).map(|_| AtomicU32::new(0)).collect(),
            other: Mutex::new(HashMap::new()),
        })
    }

    /// The glyph id and advance (in em) of a character, if the font has it.
    pub fn glyph(&self, c: char) -> Option<(u16, f32)> {
        let lookup = || {
            // Glyph 0 is .notdef: a character the font maps there (U+FFFF
            // in some cmaps) has no glyph of its own.
            let id = self.face.glyph_index(c).filter(|g| g.0 != 0)?;
            Some((id.0, self.face.glyph_hor_advance(id).unwrap_or(0)))
        };
        let Some(slot) = self.bmp.get(c as usize) else {
            let mut other = self.other.lock().unwrap_or_else(|e| e.into_inner());
            return *other
                .entry(c)
                .or_insert_with(|| lookup().map(|(id, adv)| (id, f32::from(adv) / self.upem)));
        };
        let mut v = slot.load(Ordering::Relaxed);
        if v & LOOKED_UP == 0 {
            v = LOOKED_UP
                | match lookup() {
                    Some((id, adv)) if adv < 0x4000 => PRESENT | u32::from(adv) << 16 | u32::from(id),
                    Some(_) | None => 0,
                };
            slot.store(v, Ordering::Relaxed);
        }
        (v & PRESENT != 0).then(|| ((v & 0xFFFF) as u16, ((v >> 16) & 0x3FFF) as f32 / self.upem))
    }

    /// Width of `text` at `size` points; characters the font lacks count as
    /// one em (they are reported by [`Face::missing`]).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| self.glyph(c).map_or(1.0, |g| g.1))
            .sum::<f32>()
            * size
    }

    /// The first character of `text` the font has no glyph for.
    pub fn missing(&self, text: &str) -> Option<char> {
        text.chars().find(|&c| !c.is_control() && self.glyph(c).is_none())
    }

    /// Ascender in em.
    pub fn ascender(&self) -> f32 {
        self.face.ascender() as f32 / self.upem
    }

    /// Descender in em (negative).
    pub fn descender(&self) -> f32 {
        self.face.descender() as f32 / self.upem
    }
}

/// The regular and bold faces of a layout's font.
#[derive(Debug)]
pub struct Fonts {
    /// Body text.
    pub regular: Face,
    /// Headers, headings and titles that the layout makes bold: the
    /// family's own bold face (the bundled BIZ UDGothic Bold, or a system
    /// face of weight 600 or more). `None` for a system family without one,
    /// whose bold is then drawn by stroking the regular face's outlines.
    pub bold: Option<Face>,
}

impl Fonts {
    /// The face for bold or regular text.
    pub fn face(&self, bold: bool) -> &Face {
        match (&self.bold, bold) {
            (Some(b), true) => b,
            _ => &self.regular,
        }
    }

    /// The bundled BIZ UDGothic, regular and bold.
    pub fn bundled() -> Fonts {
        Fonts {
            regular: Face::new(BUNDLED_REGULAR, 0, BUNDLED_FAMILY, BUNDLED_PATH).expect("bundled font parses"),
            bold: Some(
                Face::new(BUNDLED_BOLD, 0, BUNDLED_FAMILY, BUNDLED_BOLD_PATH).expect("bundled bold font parses"),
            ),
        }
    }

    /// The fonts a layout names: the bundled family, or a system family
    /// looked up with fontdb. `layout_path` is named in errors.
    pub fn for_family(family: &str, layout_path: &Path) -> Result<Fonts, Problem> {
        if family == BUNDLED_FAMILY || family == "BIZ UDゴシック" {
            return Ok(Fonts::bundled());
        }
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let families = [fontdb::Family::Name(family)];
        let query = |weight| fontdb::Query {
            families: &families,
            weight,
            stretch: fontdb::Stretch::Normal,
            style: fontdb::Style::Normal,
        };
        let load = |id| -> Result<Face, Problem> {
            let (src, index) = db.face_source(id).ok_or_else(|| {
                Problem::new(
                    layout_path,
                    "font.family",
                    crate::lang::tr!("the font's file vanished while it was read"),
                )
            })?;
            let (bytes, source) = match src {
                fontdb::Source::File(p) => (
                    std::fs::read(&p).map_err(|e| {
                        Problem::new(
                            layout_path,
                            "font.family",
                            crate::lang::tr!(
                                "cannot read {file}: {error}",
                                file = p.display(),
                                error = crate::lang::io_error(&e)
                            ),
                        )
                    })?,
                    p.display().to_string(),
                ),
                fontdb::Source::Binary(b) | fontdb::Source::SharedFile(_, b) => {
                    (b.as_ref().as_ref().to_vec(), family.to_string())
                }
            };
            let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            Face::new(data, index, family, &source).map_err(|e| Problem::new(layout_path, "font.family", e))
        };
        let regular = db.query(&query(fontdb::Weight::NORMAL)).filter(|id| {
            db.face(*id)
                .is_some_and(|f| f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(family)))
        });
        let Some(regular) = regular else {
            return Err(Problem::new(
                layout_path,
                "font.family",
                crate::lang::tr!(
                    "no installed font has the family {family}; install it or use the bundled {bundled}",
                    family = format!("{family:?}"),
                    bundled = format!("{BUNDLED_FAMILY:?}")
                ),
            ));
        };
        let bold = db
            .query(&query(fontdb::Weight::BOLD))
            .filter(|id| {
                db.face(*id).is_some_and(|f| {
                    f.weight.0 >= 600 && f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(family))
                })
            })
            .unwrap_or(regular);
        Ok(Fonts {
            regular: load(regular)?,
            bold: if bold == regular { None } else { Some(load(bold)?) },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_faces_are_the_files_in_fonts() {
        use sha2::Digest;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for b in bundled_files() {
            let file = std::fs::read(root.join(b.path)).unwrap();
            let hex: String = sha2::Sha256::digest(&file).iter().map(|x| format!("{x:02x}")).collect();
            assert_eq!(hex, b.sha256, "{}", b.path);
            assert_eq!(file.len() as u64, b.bytes, "{}", b.path);
        }
        let fonts = Fonts::bundled();
        let bold = fonts.bold.as_ref().expect("a bold face");
        assert_eq!(bundled_file(&fonts.regular).unwrap().path, BUNDLED_PATH);
        assert_eq!(bundled_file(bold).unwrap().path, BUNDLED_BOLD_PATH);
        let weight = |data: &[u8]| ttf_parser::Face::parse(data, 0).unwrap().weight().to_number();
        assert_eq!(weight(BUNDLED_REGULAR), 400);
        assert_eq!(weight(BUNDLED_BOLD), 700);
    }

    #[test]
    fn bundled_bold_text_breaks_like_regular_text() {
        // Bold and regular share their advances, so a header breaks into the
        // same lines in either face and the column widths stay the layout's.
        let fonts = Fonts::bundled();
        let bold = fonts.bold.as_ref().unwrap();
        for text in [
            "基本目標・施策の方向",
            "令和５年度の取組状況",
            "R10（目標値）",
            "1,316,637人",
            "ページ番号",
        ] {
            assert_eq!(fonts.regular.width(text, 8.0), bold.width(text, 8.0), "{text}");
        }
    }
}
