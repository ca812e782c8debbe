//! `shiryo status`: who has answered for a report year. Per part of the
//! table (a 担当部署): the templates issued and whether they came back, the
//! report year's values answered, blank, provisional or not measured, the
//! texts answered, and earlier years' figures still marked provisional.

use super::InputKind;
use super::import::store;
use crate::diag::Problems;
use crate::edition::Edition;
use crate::lang::tr;
use crate::table::Grid;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The file in a templates folder listing what shiryo wrote there, one
/// `SHA-256  NAME` line per template.
pub const RECORD: &str = ".shiryo-templates";

/// Where a part of the table stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Every value and text of the part is answered.
    Complete,
    /// Some are answered, some still blank.
    Partly,
    /// A filled template came back but nothing of it is in the data yet.
    Returned,
    /// Its template was issued; nothing came back.
    Waiting,
    /// No template of the report year was found for it.
    NotIssued,
}

impl State {
    /// Its name in the run's language.
    pub fn shown(self) -> String {
        match self {
            State::Complete => tr!("complete"),
            State::Partly => tr!("partly answered"),
            State::Returned => tr!("returned, not imported"),
            State::Waiting => tr!("waiting"),
            State::NotIssued => tr!("not issued"),
        }
    }
}

/// A template file of the report year found in the templates folder.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    /// The file.
    pub file: PathBuf,
    /// The day it was last written (`2025-06-02`, UTC).
    pub date: String,
    /// The format version of its identity sheet.
    pub version: String,
    /// Whether it differs from what shiryo wrote: a filled file saved over it.
    pub replaced: bool,
}

/// A figure of an earlier year still marked provisional in the report
/// year's edition.
#[derive(Debug, Clone, Serialize)]
pub struct Provisional {
    /// The item's row label.
    pub item: String,
    /// The fiscal year of the figure.
    pub year: i32,
    /// The figure and its note as printed (`1,085,112人 ※速報値`).
    pub shown: String,
}

/// One part of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The part (`交通課`); empty when the layout does not split templates.
    pub part: String,
    /// Where it stands.
    pub state: State,
    /// The report year's values asked for.
    pub values: usize,
    /// Values answered for the report year (a figure or ―).
    pub answered: usize,
    /// Values the table shows without an answer this year: "not measured"
    /// known from the plan (a survey not held that year).
    pub preset: usize,
    /// Answered values marked provisional.
    pub provisional: usize,
    /// Values shown ― (not measured), answered or preset.
    pub not_measured: usize,
    /// The texts asked for.
    pub texts: usize,
    /// Texts answered.
    pub texts_answered: usize,
    /// Earlier years' figures still provisional.
    pub earlier_provisional: Vec<Provisional>,
    /// The report year's templates found for it.
    pub issued: Vec<Issued>,
    /// Filled files given to `status` that hold it.
    pub returned: Vec<PathBuf>,
}

impl Part {
    /// Values still blank.
    pub fn blank(&self) -> usize {
        self.values - self.answered - self.preset
    }

    /// Texts still blank.
    pub fn texts_blank(&self) -> usize {
        self.texts - self.texts_answered
    }
}

/// The report year's status.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The report year.
    pub year: i32,
    /// The data file.
    pub data: PathBuf,
    /// What the layout calls a part of the table (`担当部署`), if it names it.
    pub part_name: Option<String>,
    /// The parts, in the table's order.
    pub parts: Vec<Part>,
}

impl Status {
    /// Whether every part answered everything.
    pub fn complete(&self) -> bool {
        self.parts.iter().all(|p| p.state == State::Complete)
    }
}

/// The status of `edition`'s report year from its data and its table
/// `grid`, the templates folder `templates` (its record of what shiryo
/// wrote) and filled files a user names (`returned`).
///
/// ```
/// # fn main() -> anyhow::Result<()> {
/// use shiryo::edition::{Edition, Inputs};
/// let e = Edition::load(&Inputs { year: Some(2025), ..Default::default() })?;
/// let grid = shiryo::table::build(&e, &Default::default())?;
/// let s = shiryo::yearly::status::status(&e, &grid, None, &[])?;
/// let bus = s.parts.iter().find(|p| p.part == "交通課").unwrap();
/// assert_eq!((bus.values, bus.answered, bus.texts_answered), (1, 0, 0));
/// // 令和６年度's figure, still provisional when 令和７年度 is asked for.
/// assert_eq!(bus.earlier_provisional[0].shown, "1,085,112人 ※速報値");
/// assert!(!s.complete());
/// # Ok(()) }
/// ```
pub fn status(
    edition: &Edition,
    grid: &Grid,
    templates: Option<&Path>,
    returned: &[PathBuf],
) -> Result<Status, Problems> {
    let year = edition.year;
    let first = edition.years.first;
    let expected = super::inputs(edition, grid)?;
    let json = &edition.data.json;
    let ids = store::index(json, &edition.layout.layout.template.item_id);
    let mut parts: Vec<Part> = Vec::new();
    let part_of = |parts: &mut Vec<Part>, name: &str| -> usize {
        match parts.iter().position(|p| p.part == name) {
            Some(i) => i,
            None => {
                parts.push(Part {
                    part: name.to_string(),
                    state: State::NotIssued,
                    values: 0,
                    answered: 0,
                    preset: 0,
                    provisional: 0,
                    not_measured: 0,
                    texts: 0,
                    texts_answered: 0,
                    earlier_provisional: Vec::new(),
                    issued: Vec::new(),
                    returned: Vec::new(),
                });
                parts.len() - 1
            }
        }
    };
    for e in &expected {
        let i = part_of(&mut parts, e.part.as_deref().unwrap_or(""));
        let at = ids.get(&e.item_id).and_then(|v| v.first());
        let p = &mut parts[i];
        match e.kind {
            InputKind::Note => {}
            // An earlier year's figure: counted below, from the report year's.
            InputKind::Value if e.year != year => {}
            InputKind::Text => {
                p.texts += 1;
                if at.and_then(|at| store::text(json, at, &e.field)).is_some() {
                    p.texts_answered += 1;
                }
            }
            InputKind::Value => {
                p.values += 1;
                let series = |y| at.and_then(|at| store::year_value(json, at, &e.field, y));
                if let Some(v) = series(year)
                    && let Some(x) = v.as_of(year, first, year)
                {
                    if x.reported_in(year, first) == year {
                        p.answered += 1;
                    } else {
                        p.preset += 1;
                    }
                    p.provisional += usize::from(x.note.is_some());
                    p.not_measured += usize::from(x.not_measured);
                }
                for y in first..year {
                    if let Some(v) = series(y)
                        && let Some(x) = v.as_of(y, first, year)
                        && x.note.is_some()
                        && !x.not_measured
                    {
                        p.earlier_provisional.push(Provisional {
                            item: e.label.clone(),
                            year: y,
                            shown: e.show(x.value.as_ref(), x.not_measured, x.note.as_deref()),
                        });
                    }
                }
            }
        }
    }
    let all: Vec<String> = parts.iter().map(|p| p.part.clone()).collect();
    let holds = |id: &super::identity::Identity| -> Vec<String> {
        if id.parts.is_empty() {
            all.clone()
        } else {
            id.parts.clone()
        }
    };
    if let Some(dir) = templates {
        for (name, digest) in record(dir) {
            let file = dir.join(&name);
            let Ok(bytes) = std::fs::read(&file) else { continue };
            let Ok(id) = super::import::identity_of(&file) else {
                continue;
            };
            if id.report_year != year {
                continue;
            }
            let date = std::fs::metadata(&file)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| {
                    let [y, m, d, ..] = crate::render::from_epoch(d.as_secs() as i64);
                    format!("{y:04}-{m:02}-{d:02}")
                })
                .unwrap_or_default();
            let replaced = crate::archive::sha256(&bytes) != digest;
            for part in holds(&id) {
                let i = part_of(&mut parts, &part);
                parts[i].issued.push(Issued {
                    file: file.clone(),
                    date: date.clone(),
                    version: id.version.clone(),
                    replaced,
                });
            }
        }
    }
    let mut problems = Vec::new();
    for file in returned {
        match super::import::identity_of(file) {
            Ok(id) if id.report_year == year => {
                for part in holds(&id) {
                    let i = part_of(&mut parts, &part);
                    parts[i].returned.push(file.clone());
                }
            }
            Ok(id) => problems.push(crate::diag::Problem::new(
                file,
                "",
                tr!(
                    "the file is for the report year {year}, not {asked}; give --year to see that year",
                    year = crate::era::short(id.report_year),
                    asked = crate::era::short(year)
                ),
            )),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    for p in &mut parts {
        p.state = if p.blank() == 0 && p.texts_blank() == 0 {
            State::Complete
        } else if p.answered > 0 || p.texts_answered > 0 {
            State::Partly
        } else if !p.returned.is_empty() || p.issued.iter().any(|i| i.replaced) {
            State::Returned
        } else if !p.issued.is_empty() {
            State::Waiting
        } else {
            State::NotIssued
        };
    }
    Ok(Status {
        year,
        data: edition.data.path.clone(),
        part_name: edition.layout.layout.template.split.as_ref().map(|s| s.name.clone()),
        parts,
    })
}

/// The (file name, SHA-256) pairs a templates folder's record lists.
pub fn record(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join(RECORD))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(h, n)| (n.to_string(), h.to_string())))
        .collect()
}

/// The one-line warning `check` and `render` give for a report year not
/// everyone has answered, or `None` when it is complete.
pub fn incomplete(s: &Status) -> Option<String> {
    if s.complete() {
        return None;
    }
    let values: usize = s.parts.iter().map(Part::blank).sum();
    let texts: usize = s.parts.iter().map(Part::texts_blank).sum();
    let waiting: Vec<&str> = s
        .parts
        .iter()
        .filter(|p| p.state != State::Complete && !p.part.is_empty())
        .map(|p| p.part.as_str())
        .collect();
    Some(tr!(
        "{year} is not complete: {values} value{_s} and {texts} text{_t} still blank{parts}; `shiryo status` lists them",
        year = crate::era::full_width_digits(&crate::era::fiscal_year(s.year)),
        values = values,
        _s = crate::lang::plural(values),
        texts = texts,
        _t = crate::lang::plural(texts),
        parts = if waiting.is_empty() {
            String::new()
        } else {
            format!(" ({})", waiting.join(", "))
        }
    ))
}

/// The status as a table: a line per part with its state and counts, then
/// the templates found and earlier provisional figures.
pub fn table(s: &Status) -> String {
    use super::report::{pad, width};
    let head = [
        s.part_name.clone().unwrap_or_else(|| tr!("part")),
        tr!("state"),
        tr!("values"),
        tr!("blank"),
        tr!("provisional"),
        tr!("not measured"),
        tr!("texts"),
        tr!("blank"),
    ];
    let rows: Vec<[String; 8]> = s
        .parts
        .iter()
        .map(|p| {
            [
                if p.part.is_empty() {
                    tr!("(whole table)")
                } else {
                    p.part.clone()
                },
                p.state.shown(),
                format!("{}/{}", p.answered, p.values - p.preset),
                p.blank().to_string(),
                p.provisional.to_string(),
                p.not_measured.to_string(),
                format!("{}/{}", p.texts_answered, p.texts),
                p.texts_blank().to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain([width(&head[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String; 8]| {
        let mut l = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| pad(c, *w))
            .collect::<Vec<_>>()
            .join("  ");
        l.truncate(l.trim_end().len());
        l + "\n"
    };
    let mut out = tr!(
        "{year} ({short}): {file}",
        year = crate::era::full_width_digits(&crate::era::fiscal_year(s.year)),
        short = crate::era::short(s.year),
        file = s.data.display()
    );
    out.push_str("\n\n");
    out.push_str(&line(&head));
    for r in &rows {
        out.push_str(&line(r));
    }
    for p in &s.parts {
        let name = if p.part.is_empty() {
            tr!("(whole table)")
        } else {
            p.part.clone()
        };
        for i in &p.issued {
            let state = if i.replaced {
                tr!("replaced by a filled file")
            } else {
                tr!("as written")
            };
            out.push_str(&format!(
                "\n{}",
                tr!(
                    "{part}: template {file} ({date}, format {version}, {state})",
                    part = name,
                    file = i.file.display(),
                    date = i.date,
                    version = i.version,
                    state = state
                )
            ));
        }
        for f in &p.returned {
            out.push_str(&format!(
                "\n{}",
                tr!("{part}: returned {file}", part = name, file = f.display())
            ));
        }
        for e in &p.earlier_provisional {
            out.push_str(&format!(
                "\n{}",
                tr!(
                    "{part}: {item} {year} is still provisional: {shown}",
                    part = name,
                    item = e.item,
                    year = crate::era::short(e.year),
                    shown = e.shown
                )
            ));
        }
    }
    out.push('\n');
    out
}
