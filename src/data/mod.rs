//! The stored plan: loaded from JSON and validated.
//!
//! The format is described in `docs/data.md`; `shiryo schema data` prints
//! its JSON Schema. The table stage reads fields through the layout's
//! bindings from [`LoadedPlan::json`]; the typed [`Plan`] is what validation,
//! value formatting, templates and import work with.

pub mod business;
mod value;

pub use value::{Decimal, DecimalError, YearEntry, YearValue};

use crate::diag::{Problem, Problems};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A plan with its yearly figures and texts (the root of a data file).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The `$schema` reference editors use; ignored.
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Name of the bundled layout this plan renders with by default.
    pub layout: String,
    /// The table title printed at the top left.
    pub title: String,
    /// The document label printed at the top right (`資料２`).
    #[serde(default)]
    pub label: String,
    /// The plan's name, for document metadata.
    pub plan: String,
    /// Fiscal year of the baseline (現状値) column.
    pub baseline_year: i32,
    /// Fiscal year of the target (目標値) column, if the plan has targets.
    #[serde(default)]
    pub target_year: Option<i32>,
    /// Footnote printed in the page footer.
    #[serde(default)]
    pub footnote: String,
    /// The editions (report years) of the plan's progress survey.
    #[serde(default)]
    pub editions: Vec<Edition>,
    /// The 基本目標, in order.
    pub goals: Vec<Goal>,
    /// Provenance notes, never printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcription_notes: Vec<String>,
}

/// One edition: the fiscal year reported on and its document date.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// The fiscal year reported on.
    pub year: i32,
    /// The document date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A 基本目標 with its 施策の方向 and indicators.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Goal number, printed `基本目標１`.
    pub number: u32,
    /// Goal name.
    pub name: String,
    /// 施策の方向 lines, without the leading bullet.
    #[serde(default)]
    pub directions: Vec<String>,
    /// Plan page ranges as printed (`45-48`).
    #[serde(default)]
    pub pages: Vec<String>,
    /// The goal's indicators, in order.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}

/// Whether an indicator aims up or down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The target is a floor (the usual case).
    #[default]
    Increase,
    /// The target is a ceiling (`（減少目標）`).
    Decrease,
}

/// A target value with its qualifier.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The target figure.
    pub value: Decimal,
    /// `以上` or `以下`, printed after the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
}

/// The qualifiers a target may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Qualifier {
    /// At least (a floor).
    #[serde(rename = "以上")]
    AtLeast,
    /// At most (a ceiling).
    #[serde(rename = "以下")]
    AtMost,
}

impl Qualifier {
    /// The printed form.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "以上",
            Qualifier::AtMost => "以下",
        }
    }
}

/// The two texts of a report year.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 取組状況: what was done in the report year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<String>,
    /// 今後の展開: plans for the next year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlook: Option<String>,
}

/// Figures of one measured row (a plain indicator, or one sub-measure), as
/// a view into the data.
#[derive(Debug, Clone, Copy)]
pub struct Figures<'a> {
    /// Unit printed after numbers and alone in blank cells.
    pub unit: Option<&'a str>,
    /// Values by fiscal year (keys are years as strings).
    pub values: &'a BTreeMap<String, YearValue>,
    /// The target.
    pub target: Option<&'a Target>,
}

impl Figures<'_> {
    /// The value for fiscal `year` as the edition for `report_year` shows it.
    pub fn as_of(&self, year: i32, baseline_year: i32, report_year: i32) -> Option<&YearEntry> {
        self.values
            .get(&year.to_string())?
            .as_of(year, baseline_year, report_year)
    }
}

/// A sub-measure of an indicator (one row under a merged indicator name).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Stable identifier, unique in the plan.
    pub id: String,
    /// Sub-measure name (`延べ利用者数`).
    pub name: String,
    /// Unit printed after numbers and alone in blank cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Values by fiscal year (keys are years as strings).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, YearValue>,
    /// The target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// A provenance remark, never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// An indicator (指標) of a goal.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable identifier, unique in the plan.
    pub id: String,
    /// 担当部署.
    pub department: String,
    /// The indicator's name.
    pub name: String,
    /// Whether the target is a floor or a ceiling.
    #[serde(default)]
    pub direction: Direction,
    /// Unit (of a plain indicator) printed after numbers and alone in blank cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Values by fiscal year (keys are years as strings).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, YearValue>,
    /// The target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// 目標設定の考え方.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Texts by report year (keys are years as strings).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reports: BTreeMap<String, Report>,
    /// Sub-measures, each printed on its own row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// A provenance remark, never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

macro_rules! figures_view {
    ($t:ty) => {
        impl $t {
            /// This item's unit, values and target as a [`Figures`] view.
            pub fn figures(&self) -> Figures<'_> {
                Figures {
                    unit: self.unit.as_deref(),
                    values: &self.values,
                    target: self.target.as_ref(),
                }
            }
        }
    };
}
figures_view!(Indicator);
figures_view!(Measure);

/// One measured row of the plan: an indicator without measures, or a measure.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// Index of the goal in [`Plan::goals`].
    pub goal: usize,
    /// The indicator.
    pub indicator: &'a Indicator,
    /// The measure, for an indicator with measures.
    pub measure: Option<&'a Measure>,
}

impl Row<'_> {
    /// The row's stable id (the measure's, else the indicator's).
    pub fn id(&self) -> &str {
        self.measure.map_or(&self.indicator.id, |m| &m.id)
    }
}

impl Plan {
    /// Every measured row, in printed order.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        for (g, goal) in self.goals.iter().enumerate() {
            for ind in &goal.indicators {
                if ind.measures.is_empty() {
                    rows.push(Row {
                        goal: g,
                        indicator: ind,
                        measure: None,
                    });
                } else {
                    rows.extend(ind.measures.iter().map(|m| Row {
                        goal: g,
                        indicator: ind,
                        measure: Some(m),
                    }));
                }
            }
        }
        rows
    }

    /// The latest edition's report year, if any.
    pub fn latest_year(&self) -> Option<i32> {
        self.editions.iter().map(|e| e.year).max()
    }

    /// The document date of the edition for `year` (`YYYY-MM-DD`): as
    /// stated, else 1 April of the following year.
    pub fn edition_date(&self, year: i32) -> String {
        self.editions
            .iter()
            .find(|e| e.year == year)
            .and_then(|e| e.date.clone())
            .unwrap_or_else(|| format!("{:04}-04-01", year + 1))
    }

    /// The last fiscal year the plan covers.
    pub fn last_year(&self) -> i32 {
        self.target_year
            .unwrap_or_else(|| self.latest_year().unwrap_or(self.baseline_year))
    }
}

/// A plan read from a file, with its raw JSON for the layout's bindings.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    /// Where it was read from.
    pub path: PathBuf,
    /// The typed plan; for a business plan, its header (title, layout and
    /// fiscal year as the only edition) without goals.
    pub plan: Plan,
    /// The same file as JSON.
    pub json: serde_json::Value,
}

/// Reads a plan file, reporting the first syntax or type error with its
/// JSON path, then every semantic problem found by [`validate`].
pub fn load(path: &Path) -> Result<LoadedPlan, Problems> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Problem::new(path, "", format!("cannot read the file: {e}")))?;
    parse(path, &text)
}

/// Parses plan data that came from `path`: a progress survey (`goals`) or
/// a business plan (`divisions`).
pub fn parse(path: &Path, text: &str) -> Result<LoadedPlan, Problems> {
    let json = crate::diag::parse_value(path, text)?;
    let path_buf = path.to_path_buf();
    if json.get("divisions").is_some() {
        let b: business::BusinessPlan = crate::diag::check_value(path, &json, crate::schema::Kind::Business)?;
        let problems = business::validate(path, &b);
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        return Ok(LoadedPlan {
            path: path_buf,
            plan: b.header(),
            json,
        });
    }
    let plan: Plan = crate::diag::check_value(path, &json, crate::schema::Kind::Progress)?;
    let problems = validate(path, &plan);
    if problems.is_empty() {
        Ok(LoadedPlan {
            path: path_buf,
            plan,
            json,
        })
    } else {
        Err(Problems(problems))
    }
}

/// Checks what the types cannot: unique ids, years inside the plan, measures
/// with figures where they belong, consistent editions.
pub fn validate(path: &Path, plan: &Plan) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut p = |place: String, msg: String| out.push(Problem::new(path, place, msg));
    let last = plan.last_year();
    if let Some(t) = plan.target_year
        && t <= plan.baseline_year
    {
        p(
            "target_year".into(),
            format!(
                "expected a fiscal year after baseline_year {}, found {t}",
                plan.baseline_year
            ),
        );
    }
    if plan.goals.is_empty() {
        p("goals".into(), "expected at least one goal; the plan is empty".into());
    }
    for (i, e) in plan.editions.iter().enumerate() {
        if e.year < plan.baseline_year || e.year > last {
            p(
                format!("editions[{i}].year"),
                format!(
                    "expected a report year from {} to {last}, found {}",
                    plan.baseline_year, e.year
                ),
            );
        }
        if let Some(d) = &e.date
            && !is_iso_date(d)
        {
            p(
                format!("editions[{i}].date"),
                format!("expected a date YYYY-MM-DD, found {d:?}"),
            );
        }
    }
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut check_id = |id: &str, place: String, p: &mut dyn FnMut(String, String)| {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            p(
                format!("{place}.id"),
                format!("expected an id of ASCII letters, digits, '-' or '_', found {id:?}"),
            );
        }
        if let Some(first) = ids.get(id) {
            p(
                format!("{place}.id"),
                format!("duplicate id {id:?}: already used at {first}"),
            );
        } else {
            ids.insert(id.to_string(), place);
        }
    };
    let years_ok = |figs: Figures<'_>, place: &str, p: &mut dyn FnMut(String, String)| {
        for (k, v) in figs.values {
            match k.parse::<i32>() {
                Ok(y) if y >= plan.baseline_year && y <= last => {
                    for (j, e) in v.entries().iter().enumerate() {
                        if let Some(r) = e.reported_in
                            && (r < plan.baseline_year || r > last)
                        {
                            p(
                                format!("{place}.values.{k}[{j}].reported_in"),
                                format!(
                                    "expected a report year from {} to {last}, found {r}",
                                    plan.baseline_year
                                ),
                            );
                        }
                        if e.value.is_some() && e.not_measured {
                            p(
                                format!("{place}.values.{k}"),
                                "an entry cannot have a value and be not_measured".into(),
                            );
                        }
                    }
                }
                Ok(y) => p(
                    format!("{place}.values.{k}"),
                    format!(
                        "expected a fiscal year from {} to {last}, found {y}",
                        plan.baseline_year
                    ),
                ),
                Err(_) => p(
                    format!("{place}.values.{k}"),
                    format!("expected a fiscal year such as \"2024\" as key, found {k:?}"),
                ),
            }
        }
    };
    for (g, goal) in plan.goals.iter().enumerate() {
        for (i, ind) in goal.indicators.iter().enumerate() {
            let place = format!("goals[{g}].indicators[{i}]");
            check_id(&ind.id, place.clone(), &mut p);
            years_ok(ind.figures(), &place, &mut p);
            for k in ind.reports.keys() {
                match k.parse::<i32>() {
                    Ok(y) if y >= plan.baseline_year && y <= last => {}
                    _ => p(
                        format!("{place}.reports.{k}"),
                        format!(
                            "expected a report year from {} to {last} as key, found {k:?}",
                            plan.baseline_year
                        ),
                    ),
                }
            }
            if !ind.measures.is_empty() {
                let f = ind.figures();
                if f.unit.is_some() || !f.values.is_empty() || f.target.is_some() {
                    p(
                        place.clone(),
                        "an indicator with measures keeps unit, values and target on its measures, not on itself"
                            .into(),
                    );
                }
            } else if ind.unit.is_none() {
                p(
                    format!("{place}.unit"),
                    "expected the unit of the indicator's figures (人, ％, 件, …)".into(),
                );
            }
            for (m, meas) in ind.measures.iter().enumerate() {
                let mplace = format!("{place}.measures[{m}]");
                check_id(&meas.id, mplace.clone(), &mut p);
                years_ok(meas.figures(), &mplace, &mut p);
                if meas.unit.is_none() {
                    p(
                        format!("{mplace}.unit"),
                        "expected the unit of the measure's figures".into(),
                    );
                }
            }
        }
    }
    out
}

pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}
