//! `shiryo import`: filled yearly templates back into the plan's store.
//!
//! Every file is read and checked before anything is written:
//!
//! 1. the file is a workbook of sane size ([`workbook`]);
//! 2. its identity (see [`crate::identity`]) names the store's plan and one
//!    report year, shared by every file;
//! 3. the identity is consistent: every input cell is found through its
//!    defined name and is an unlocked cell of the table's sheet, every
//!    unlocked cell is an input cell, every item exists in the store and
//!    belongs to one of the file's departments, and nothing is listed twice;
//! 4. every answer is valid: values are numbers ≥ 0 without unit, notes
//!    are one of the layout's choices and go with a value, texts fit the
//!    length limit and the font;
//! 5. no two files give different answers for the same cell.
//!
//! Any problem refuses the whole import, naming file and cell; otherwise
//! the answers are applied to the store's JSON ([`store`]) and the caller
//! writes it atomically.

pub mod store;
pub mod workbook;

use crate::data::{Decimal, LoadedPlan};
use crate::diag::{Problem, Problems};
use crate::identity::{self, Identity, PlanId};
use crate::layout::{CellKind, InputKind, LoadedLayout};
use crate::measure::font::Fonts;
use calamine::{Data, Reader};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use store::Entry;
use workbook::Workbook;

/// One change to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Department and item (`地域共生課/ほっとネット推進員登録者数`), or `edition`.
    pub item: String,
    /// The report year.
    pub year: i32,
    /// What changed: `value`, `actions`, `outlook` or `added`.
    pub field: String,
    /// The old content as printed (`blank` for none).
    pub old: String,
    /// The new content as printed.
    pub new: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {} → {}",
            self.item,
            crate::era::short(self.year),
            self.field,
            self.old,
            self.new
        )
    }
}

/// The result of reading and applying a set of filled templates.
#[derive(Debug)]
pub struct Outcome {
    /// The report year of the files.
    pub year: i32,
    /// The changes, in the plan's order.
    pub changes: Vec<Change>,
    /// The new store (pretty-printed JSON), when anything changed.
    pub store: Option<String>,
}

/// What a store item is, for checking and messages.
#[derive(Debug, Clone)]
struct Item {
    department: String,
    /// `部署/指標名` (and `／測定名` for a measure).
    label: String,
    /// Set for measured rows (values and notes).
    unit: Option<String>,
    /// Whether the item is an indicator (texts).
    indicator: bool,
}

fn items(plan: &LoadedPlan) -> (Vec<String>, HashMap<String, Item>) {
    let mut order = Vec::new();
    let mut map = HashMap::new();
    for goal in &plan.plan.goals {
        for ind in &goal.indicators {
            let name = ind.name.replace('\n', "");
            order.push(ind.id.clone());
            map.insert(
                ind.id.clone(),
                Item {
                    department: ind.department.clone(),
                    label: format!("{}/{name}", ind.department),
                    unit: if ind.measures.is_empty() {
                        ind.unit.clone()
                    } else {
                        None
                    },
                    indicator: true,
                },
            );
            for m in &ind.measures {
                order.push(m.id.clone());
                map.insert(
                    m.id.clone(),
                    Item {
                        department: ind.department.clone(),
                        label: format!("{}/{name}／{}", ind.department, m.name),
                        unit: m.unit.clone(),
                        indicator: false,
                    },
                );
            }
        }
    }
    (order, map)
}

/// What the layout says about answers: the notes offered (none without a
/// note column), how a unit is written after a number, and the font texts
/// must print in.
struct Rules {
    notes: Vec<String>,
    unit_after: BTreeMap<String, String>,
    fonts: Option<Fonts>,
}

impl Rules {
    fn of(layout: &LoadedLayout) -> Rules {
        let l = &layout.layout;
        Rules {
            notes: l
                .template
                .note_column
                .as_ref()
                .map(|n| n.choices.clone())
                .unwrap_or_default(),
            unit_after: l
                .columns
                .iter()
                .find_map(|c| match (&c.content, c.input) {
                    (CellKind::YearValue(spec), Some(InputKind::Value)) => Some(spec.unit_after_number.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            fonts: Fonts::for_family(&l.font.family, &layout.path).ok(),
        }
    }

    /// The forms of a unit a department may leave in or type after a number.
    fn unit_forms(&self, unit: &str) -> Vec<String> {
        let mut forms = vec![unit.to_string()];
        if let Some(a) = self.unit_after.get(unit) {
            forms.push(a.clone());
        }
        forms
    }
}

/// An answer read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Value(Entry),
    Text(String),
}

/// Where an answer came from.
#[derive(Debug, Clone)]
struct Source {
    file: PathBuf,
    cell: String,
}

/// The answers of one file: (item id, field) → answer and where.
type Answers = Vec<((String, InputKind), Answer, Source)>;

/// Reads, checks and applies filled templates to `plan` (the store).
/// `year`, when given, is the report year every file must be for. The
/// store itself is not touched: the caller writes [`Outcome::store`].
///
/// ```
/// # fn main() -> anyhow::Result<()> {
/// use shiryo::template::{build, Rows};
/// let plan = shiryo::cli::load_plan(None)?;
/// let layout = shiryo::cli::load_layout(None, &plan)?;
/// let dir = tempfile::tempdir()?;
/// let blank = dir.path().join("blank.xlsx");
/// std::fs::write(&blank, build(&plan, &layout, 2025, &Rows::All, None)?.bytes)?;
/// // A template returned blank changes nothing.
/// let outcome = shiryo::import::import(&plan, &layout, &[blank], None).unwrap();
/// assert_eq!((outcome.year, outcome.changes.len(), outcome.store), (2025, 0, None));
/// // A file that is not a workbook is refused, naming it.
/// let notes = dir.path().join("notes.xlsx");
/// std::fs::write(&notes, "450人")?;
/// let e = shiryo::import::import(&plan, &layout, &[notes], None).unwrap_err();
/// assert!(e.to_string().contains("notes.xlsx: not an xlsx workbook"));
/// # Ok(()) }
/// ```
pub fn import(
    plan: &LoadedPlan,
    layout: &LoadedLayout,
    files: &[PathBuf],
    year: Option<i32>,
) -> Result<Outcome, Problems> {
    let store_id = PlanId::of(&plan.plan);
    let (order, items) = items(plan);
    let rules = Rules::of(layout);
    let mut problems = Vec::new();
    let mut first_year: Option<(i32, PathBuf)> = year.map(|y| (y, PathBuf::from("--year")));
    let mut all: Answers = Vec::new();
    for file in files {
        match read_file(file, plan, &store_id, &items, &rules) {
            Ok((y, answers)) => {
                match &first_year {
                    Some((fy, from)) if *fy != y => problems.push(Problem::new(
                        file,
                        "",
                        format!(
                            "the file is for the report year {} ({y}), but {} is for {} ({fy}); import one report year at a time",
                            crate::era::short(y),
                            from.display(),
                            crate::era::short(*fy)
                        ),
                    )),
                    Some(_) => {}
                    None => first_year = Some((y, file.clone())),
                }
                all.extend(answers);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    let Some((year, _)) = first_year else {
        if problems.is_empty() {
            problems.push(Problem::new("import", "", "no file to import was given"));
        }
        return Err(Problems(problems));
    };
    // The same cell from several files: equal answers agree, different ones conflict.
    let mut merged: HashMap<(String, InputKind), (Answer, Source)> = HashMap::new();
    for (key, answer, src) in all {
        match merged.get(&key) {
            Some((a, first)) if *a != answer => {
                let item = &items[&key.0];
                problems.push(Problem::new(
                    &src.file,
                    place(year, key.1, &item.label, &src.cell),
                    format!(
                        "{} but {} at {} gives {}: the files disagree; correct one of them",
                        show_answer(&answer, item, &rules),
                        first.file.display(),
                        first.cell,
                        show_answer(a, item, &rules)
                    ),
                ));
            }
            Some(_) => {}
            None => {
                merged.insert(key, (answer, src));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let mut json = plan.json.clone();
    let mut changes = Vec::new();
    let baseline = plan.plan.baseline_year;
    for id in &order {
        let item = &items[id];
        for kind in [InputKind::Value, InputKind::Actions, InputKind::Outlook] {
            let Some((answer, _)) = merged.get(&(id.clone(), kind)) else {
                continue;
            };
            match (kind, answer) {
                (InputKind::Value, Answer::Value(e)) => {
                    if let Some(old) = store::set_value(&mut json, id, year, baseline, e) {
                        let old: Option<crate::data::YearValue> = serde_json::from_value(old).ok();
                        let shown = old
                            .as_ref()
                            .and_then(|v| v.as_of(year, baseline, year))
                            .map(|e| show_entry(e.value.as_ref(), e.not_measured, e.note.as_deref(), item, &rules))
                            .unwrap_or_else(|| "blank".to_string());
                        changes.push(Change {
                            item: item.label.clone(),
                            year,
                            field: "value".into(),
                            old: shown,
                            new: show_answer(answer, item, &rules),
                        });
                    }
                }
                (InputKind::Actions | InputKind::Outlook, Answer::Text(t)) => {
                    let field = identity::kind_name(kind);
                    if let Some(old) = store::set_text(&mut json, id, year, field, t) {
                        changes.push(Change {
                            item: item.label.clone(),
                            year,
                            field: field.into(),
                            old: old.map_or("blank".to_string(), |o| format!("{o:?}")),
                            new: format!("{t:?}"),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    if changes.is_empty() {
        return Ok(Outcome {
            year,
            changes,
            store: None,
        });
    }
    if store::add_edition(&mut json, year) {
        changes.push(Change {
            item: "edition".into(),
            year,
            field: "added".into(),
            old: "none".into(),
            new: crate::era::full_width_digits(&crate::era::fiscal_year(year)),
        });
    }
    let text = serde_json::to_string_pretty(&json).map_err(|e| Problem::new(&plan.path, "", e.to_string()))? + "\n";
    // The new store must load as the old one did (the loader's own checks).
    crate::data::parse(&plan.path, &text)?;
    Ok(Outcome {
        year,
        changes,
        store: Some(text),
    })
}

/// `R7 value of 地域共生課/ほっとネット推進員登録者数 at F3`.
fn place(year: i32, kind: InputKind, label: &str, cell: &str) -> String {
    format!(
        "{} {} of {label} at {cell}",
        crate::era::short(year),
        identity::kind_name(kind)
    )
}

fn show_entry(value: Option<&Decimal>, not_measured: bool, note: Option<&str>, item: &Item, rules: &Rules) -> String {
    if not_measured {
        return "―".to_string();
    }
    let unit = item.unit.as_deref().unwrap_or("");
    let after = rules.unit_after.get(unit).map_or(unit, String::as_str);
    let mut s = value.map_or(String::new(), |v| format!("{}{after}", v.grouped()));
    if let Some(n) = note {
        s.push(' ');
        s.push_str(n);
    }
    s
}

fn show_answer(a: &Answer, item: &Item, rules: &Rules) -> String {
    match a {
        Answer::Value(e) => show_entry(Some(&e.value), false, e.note.as_deref(), item, rules),
        Answer::Text(t) => format!("{t:?}"),
    }
}

/// Reads one file: its report year and answers, or every problem found.
fn read_file(
    file: &Path,
    plan: &LoadedPlan,
    store_id: &PlanId,
    items: &HashMap<String, Item>,
    rules: &Rules,
) -> Result<(i32, Answers), Vec<Problem>> {
    let whole = |msg: String| vec![Problem::new(file, "", msg)];
    let mut wb = Workbook::open(file).map_err(whole)?;
    if !wb.xlsx.sheet_names().iter().any(|s| s == identity::SHEET) {
        return Err(whole(format!(
            "not a shiryo template: the workbook has no {} sheet (make templates with `shiryo template`)",
            identity::SHEET
        )));
    }
    let range = wb.range(identity::SHEET).map_err(whole)?;
    // The range starts at its first used cell: place cells where they are.
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (r, c, d) in range.used_cells() {
        let (r, c) = (r + r0 as usize, c + c0 as usize);
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        if rows[r].len() <= c {
            rows[r].resize(c + 1, String::new());
        }
        rows[r][c] = workbook::cell_text(d);
    }
    let id = Identity::from_rows(&rows).map_err(|e| whole(format!("tampered identity: {e}")))?;
    if let Some(m) = id.plan.mismatch(store_id) {
        return Err(whole(format!("{m}; the store is {}", plan.path.display())));
    }
    let p = &plan.plan;
    if id.report_year < p.baseline_year || id.report_year > p.last_year() {
        return Err(whole(format!(
            "the file is for the report year {}, outside the plan's years {}–{}",
            id.report_year,
            p.baseline_year,
            p.last_year()
        )));
    }
    let year = id.report_year;
    let cells = locate(file, &mut wb, &id, items)?;
    let sheet = cells.first().map(|c| c.sheet.clone()).unwrap_or_default();
    let range = wb.range(&sheet).map_err(whole)?;
    let mut problems = Vec::new();
    let mut answers: Answers = Vec::new();
    let mut notes: Vec<(String, String, String)> = Vec::new();
    for c in &cells {
        let item = &items[&c.input.item_id];
        let data = range
            .get_value((c.pos.0, u32::from(c.pos.1)))
            .cloned()
            .unwrap_or(Data::Empty);
        let at = identity::a1(c.pos.0, c.pos.1);
        let here = place(year, c.input.kind, &item.label, &at);
        let src = Source {
            file: file.to_path_buf(),
            cell: at.clone(),
        };
        let key = (c.input.item_id.clone(), c.input.kind);
        match c.input.kind {
            InputKind::Value => match parse_value(&data, item.unit.as_deref().unwrap_or(""), rules) {
                Ok(Some(v)) => answers.push((key, Answer::Value(Entry { value: v, note: None }), src)),
                Ok(None) => {}
                Err(e) => problems.push(Problem::new(file, here, e)),
            },
            InputKind::Note => match parse_note(&data, rules) {
                Ok(Some(n)) => notes.push((c.input.item_id.clone(), n, at)),
                Ok(None) => {}
                Err(e) => problems.push(Problem::new(file, here, e)),
            },
            InputKind::Actions | InputKind::Outlook => match parse_text(&data, rules) {
                Ok(Some(t)) => answers.push((key, Answer::Text(t), src)),
                Ok(None) => {}
                Err(e) => problems.push(Problem::new(file, here, e)),
            },
        }
    }
    for (id, note, at) in notes {
        match answers
            .iter_mut()
            .find(|(k, _, _)| k.0 == id && k.1 == InputKind::Value)
        {
            Some((_, Answer::Value(e), _)) => e.note = Some(note),
            _ => problems.push(Problem::new(
                file,
                place(year, InputKind::Note, &items[&id].label, &at),
                format!(
                    "{note} marks a value, but the {} value is blank: type the value or clear the note",
                    crate::era::short(year)
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok((year, answers))
    } else {
        Err(problems)
    }
}

/// An input cell found in the workbook.
struct Located<'a> {
    input: &'a identity::InputCell,
    sheet: String,
    pos: (u32, u16),
}

/// Finds every input cell through its defined name and cross-checks the
/// identity against the sheet and the store; any inconsistency is a
/// tampered identity.
fn locate<'a>(
    file: &Path,
    wb: &mut Workbook,
    id: &'a Identity,
    items: &HashMap<String, Item>,
) -> Result<Vec<Located<'a>>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut bad =
        |place: String, msg: String| problems.push(Problem::new(file, place, format!("tampered identity: {msg}")));
    let names: HashMap<String, String> = wb
        .xlsx
        .defined_names()
        .iter()
        .map(|(n, f)| (n.clone(), f.clone()))
        .collect();
    let store_departments: HashSet<&str> = items.values().map(|i| i.department.as_str()).collect();
    for d in &id.departments {
        if !store_departments.contains(d.as_str()) {
            bad(
                identity::SHEET.into(),
                format!("the file names the department {d:?}, which no indicator of the store has"),
            );
        }
    }
    if id.inputs.is_empty() {
        bad(identity::SHEET.into(), "the identity sheet lists no input cell".into());
    }
    let mut located = Vec::new();
    let mut seen_items = HashSet::new();
    let mut seen_cells = HashMap::new();
    for input in &id.inputs {
        let place = format!("{} row of {}", identity::SHEET, input.name);
        let Some(item) = items.get(&input.item_id) else {
            bad(
                place,
                format!(
                    "the item {:?} is not an indicator or measure of the store",
                    input.item_id
                ),
            );
            continue;
        };
        let fits = match input.kind {
            InputKind::Value | InputKind::Note => item.unit.is_some(),
            InputKind::Actions | InputKind::Outlook => item.indicator,
        };
        if !fits {
            bad(
                place.clone(),
                format!(
                    "{} cannot hold the {} of {}",
                    input.name,
                    identity::kind_name(input.kind),
                    item.label
                ),
            );
        }
        if !id.departments.contains(&item.department) {
            bad(
                place.clone(),
                format!(
                    "{} belongs to {}, not to the file's department(s) {}",
                    item.label,
                    item.department,
                    id.departments.join(", ")
                ),
            );
        }
        if !seen_items.insert((input.item_id.as_str(), input.kind)) {
            bad(
                place.clone(),
                format!(
                    "the {} of {} is listed twice",
                    identity::kind_name(input.kind),
                    item.label
                ),
            );
        }
        let Some(formula) = names.get(&input.name) else {
            bad(place, format!("the workbook has no defined name {}", input.name));
            continue;
        };
        let Some((sheet, pos)) = workbook::parse_reference(formula) else {
            bad(
                place,
                format!("the name {} refers to {formula:?}, not to one cell", input.name),
            );
            continue;
        };
        if let Some(other) = seen_cells.insert((sheet.clone(), pos), input.name.clone()) {
            bad(
                place.clone(),
                format!(
                    "{} and {other} name the same cell {}",
                    input.name,
                    identity::a1(pos.0, pos.1)
                ),
            );
        }
        located.push(Located { input, sheet, pos });
    }
    // Every item of the file's departments has each kind of input the file has.
    let kinds: HashSet<InputKind> = id.inputs.iter().map(|i| i.kind).collect();
    let mut missing: Vec<(String, InputKind)> = Vec::new();
    for (item_id, item) in items.iter().filter(|(_, i)| id.departments.contains(&i.department)) {
        for &kind in &kinds {
            let applies = match kind {
                InputKind::Value | InputKind::Note => item.unit.is_some(),
                InputKind::Actions | InputKind::Outlook => item.indicator,
            };
            if applies && !seen_items.contains(&(item_id.as_str(), kind)) {
                missing.push((item.label.clone(), kind));
            }
        }
    }
    missing.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(identity::kind_name(a.1).cmp(identity::kind_name(b.1)))
    });
    for (label, kind) in missing {
        bad(
            identity::SHEET.into(),
            format!(
                "the {} of {label} has no input cell, though the file holds the rows of its department",
                identity::kind_name(kind)
            ),
        );
    }
    let sheets: HashSet<&str> = located.iter().map(|l| l.sheet.as_str()).collect();
    if sheets.len() > 1 || sheets.contains(identity::SHEET) {
        let mut list: Vec<&str> = sheets.into_iter().collect();
        list.sort_unstable();
        bad(
            String::new(),
            format!("the input cells are expected on one table sheet, found on {list:?}"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(sheet) = located.first().map(|l| l.sheet.clone()) else {
        return Ok(located);
    };
    let facts = wb.sheet_facts(&sheet).map_err(|e| vec![Problem::new(file, "", e)])?;
    let mut problems = Vec::new();
    let mut bad =
        |place: String, msg: String| problems.push(Problem::new(file, place, format!("tampered identity: {msg}")));
    for l in &located {
        if !facts.unlocked.contains(&l.pos) {
            let item = &items[&l.input.item_id];
            bad(
                place(
                    id.report_year,
                    l.input.kind,
                    &item.label,
                    &identity::a1(l.pos.0, l.pos.1),
                ),
                "the cell is locked: it is not an input cell of the template".into(),
            );
        }
    }
    let named: HashSet<(u32, u16)> = located.iter().map(|l| l.pos).collect();
    let mut stray: Vec<(u32, u16)> = facts
        .unlocked
        .iter()
        .filter(|p| !named.contains(p))
        .filter(|(r, c)| {
            // The other cells of a merged input cell share its format.
            !facts
                .merged
                .iter()
                .any(|&(r0, c0, r1, c1)| (r0..=r1).contains(r) && (c0..=c1).contains(c) && named.contains(&(r0, c0)))
        })
        .copied()
        .collect();
    stray.sort_unstable();
    for (r, c) in stray {
        bad(
            format!("{sheet}!{}", identity::a1(r, c)),
            "the cell is unlocked, but the identity sheet lists no input there".into(),
        );
    }
    if problems.is_empty() {
        Ok(located)
    } else {
        Err(problems)
    }
}

/// A value answer: `None` for a blank (or the unit left alone, as in the
/// template), else a decimal ≥ 0 written without unit.
///
/// Numbers typed into the spreadsheet arrive as floats and are written in
/// their shortest form (`20.6`); a number entered as text keeps its digits
/// (`"20.60"`).
fn parse_value(d: &Data, unit: &str, rules: &Rules) -> Result<Option<Decimal>, String> {
    let forms = rules.unit_forms(unit);
    let negative = |shown: &str| format!("expected a number ≥ 0, found {shown}");
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) if *i < 0 => Err(negative(&i.to_string())),
        Data::Int(i) => Ok(Some(i.to_string().parse().map_err(|e| format!("{e}"))?)),
        Data::Float(f) if !f.is_finite() => Err(format!("expected a number ≥ 0, found {f}")),
        Data::Float(f) if *f < 0.0 => Err(negative(&f.to_string())),
        Data::Float(f) => {
            let s = if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            };
            Ok(Some(s.parse().map_err(|e| format!("{e}"))?))
        }
        Data::String(s) => {
            let t: String = s
                .trim()
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                    '．' => '.',
                    c => c,
                })
                .collect();
            if t.is_empty() || forms.contains(&t) {
                return Ok(None);
            }
            if let Ok(v) = t.parse::<Decimal>() {
                return if t.starts_with('-') {
                    Err(negative(&format!("{s:?}")))
                } else {
                    Ok(Some(v))
                };
            }
            for f in &forms {
                if let Some(num) = t.strip_suffix(f.as_str())
                    && num.trim().replace(',', "").parse::<Decimal>().is_ok()
                {
                    return Err(format!(
                        "expected the number alone, found {s:?}: the unit {unit} is typed into the number; type {} (the cell shows the unit)",
                        num.trim().replace(',', "")
                    ));
                }
            }
            if t.contains(',') && t.replace(',', "").parse::<Decimal>().is_ok() {
                return Err(format!(
                    "expected a number without separators, found {s:?}; type {}",
                    t.replace(',', "")
                ));
            }
            Err(format!("expected a number ≥ 0 (unit {unit}), found the text {s:?}"))
        }
        Data::Bool(b) => Err(format!("expected a number ≥ 0, found the truth value {b}")),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err(format!("expected a number ≥ 0, found a date or time ({d})"))
        }
        Data::Error(e) => Err(format!("expected a number ≥ 0, found the error {e}")),
    }
}

/// A note answer: `None` for a blank, else one of the layout's notes.
fn parse_note(d: &Data, rules: &Rules) -> Result<Option<String>, String> {
    let text = match d {
        Data::Empty => return Ok(None),
        Data::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    if rules.notes.contains(&text) {
        Ok(Some(text))
    } else {
        Err(format!(
            "expected {} or a blank, found {text:?}",
            rules.notes.join(" or ")
        ))
    }
}

/// A text answer: `None` for a blank, else the text with its line breaks
/// as `\n`, within the length limit and printable in the layout's font.
fn parse_text(d: &Data, rules: &Rules) -> Result<Option<String>, String> {
    let raw = match d {
        Data::Empty => return Ok(None),
        Data::String(s) => s.clone(),
        Data::Float(_) | Data::Int(_) => workbook::cell_text(d),
        other => return Err(format!("expected text, found {other}")),
    };
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        return Err(format!(
            "expected text without control characters, found U+{:04X}",
            c as u32
        ));
    }
    let n = text.chars().count();
    let max = crate::template::MAX_TEXT_CHARS as usize;
    if n > max {
        return Err(format!("expected at most {max} characters, found {n}"));
    }
    if let Some(fonts) = &rules.fonts {
        for line in text.lines() {
            let face = fonts.face(false);
            if let Some(c) = face.missing(line) {
                return Err(format!(
                    "the font {:?} has no glyph for {c:?} (U+{:04X}), so the tables could not print it; write it another way",
                    face.family, c as u32
                ));
            }
        }
    }
    Ok(Some(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            notes: vec!["※速報値".into()],
            unit_after: [("％".to_string(), "%".to_string())].into(),
            fonts: None,
        }
    }

    #[test]
    fn values_are_numbers_without_unit() {
        let r = rules();
        let v = |d: Data| parse_value(&d, "人", &r);
        assert_eq!(v(Data::Float(450.0)).unwrap().unwrap().as_str(), "450");
        assert_eq!(v(Data::Float(20.6)).unwrap().unwrap().as_str(), "20.6");
        assert_eq!(v(Data::Int(7)).unwrap().unwrap().as_str(), "7");
        assert_eq!(v(Data::String("20.60".into())).unwrap().unwrap().as_str(), "20.60");
        assert_eq!(v(Data::String("４５０".into())).unwrap().unwrap().as_str(), "450");
        assert_eq!(v(Data::String("人".into())).unwrap(), None);
        assert_eq!(v(Data::Empty).unwrap(), None);
        let e = v(Data::String("450人".into())).unwrap_err();
        assert!(
            e.contains("unit 人 is typed into the number") && e.contains("type 450"),
            "{e}"
        );
        assert!(v(Data::Float(-1.0)).unwrap_err().contains("≥ 0"));
        assert!(v(Data::String("-3".into())).unwrap_err().contains("≥ 0"));
        assert!(
            v(Data::String("たくさん".into()))
                .unwrap_err()
                .contains("expected a number")
        );
        assert!(v(Data::String("1,234".into())).unwrap_err().contains("type 1234"));
        assert!(v(Data::Bool(true)).is_err());
        let pct = parse_value(&Data::String("30.6%".into()), "％", &r).unwrap_err();
        assert!(pct.contains("type 30.6"), "{pct}");
        assert_eq!(parse_value(&Data::String("％".into()), "％", &r).unwrap(), None);
    }

    #[test]
    fn notes_are_one_of_the_choices() {
        let r = rules();
        assert_eq!(
            parse_note(&Data::String("※速報値".into()), &r).unwrap().as_deref(),
            Some("※速報値")
        );
        assert_eq!(parse_note(&Data::String(" ".into()), &r).unwrap(), None);
        assert!(
            parse_note(&Data::String("速報".into()), &r)
                .unwrap_err()
                .contains("※速報値")
        );
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        let r = rules();
        assert_eq!(
            parse_text(&Data::String(" a\r\nb ".into()), &r).unwrap().as_deref(),
            Some("a\nb")
        );
        let long = "あ".repeat(crate::template::MAX_TEXT_CHARS as usize + 1);
        assert!(parse_text(&Data::String(long), &r).unwrap_err().contains("at most"));
        assert!(parse_text(&Data::String("a\u{7}".into()), &r).is_err());
    }
}
