//! One checked edition: the inputs of a run (data, layout, shape, report
//! year, fonts, the bytes read) loaded once and checked together. Render,
//! check, template and archive all take an [`Edition`]; the archive hashes
//! the very bytes held here.

use crate::data::{self, Document};
use crate::diag::{Problem, Problems};
use crate::font::Fonts;
use crate::lang::tr;
use crate::layout::{self, LoadedLayout};
use crate::shape::{self, Shape, check::Years};
use crate::value::Edition as Published;
use std::path::{Path, PathBuf};

/// The bundled example data.
pub const EXAMPLE_DATA: &str = include_str!("../data/dai5ki.json");
/// The path the bundled example is known by.
pub const EXAMPLE_PATH: &str = "data/dai5ki.json";

/// What a command was asked to read.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The data file (default: `data/dai5ki.json` in the working directory,
    /// else the bundled example).
    pub data: Option<PathBuf>,
    /// The layout file (default: the bundled layout the data names).
    pub layout: Option<PathBuf>,
    /// The report year (default: the latest edition).
    pub year: Option<i32>,
}

/// A checked edition.
#[derive(Debug)]
pub struct Edition {
    /// The data file.
    pub data: Document,
    /// The layout.
    pub layout: LoadedLayout,
    /// The data's shape, as the layout names it.
    pub shape: Shape,
    /// The years the document covers.
    pub years: Years,
    /// The editions the data lists.
    pub editions: Vec<Published>,
    /// The report year.
    pub year: i32,
    /// The edition's document date, `YYYY-MM-DD`.
    pub date: String,
    /// The layout's fonts, loaded once per run.
    pub fonts: std::sync::Arc<Fonts>,
}

/// Reads the data file asked for: the file given; else `data/dai5ki.json`
/// in the working directory when there is one (the example as `shiryo
/// import` updates it); else the bundled copy of the example.
pub fn read_data(path: Option<&Path>) -> Result<Document, Problems> {
    match path {
        Some(p) => data::load(p),
        None if Path::new(EXAMPLE_PATH).is_file() => data::load(Path::new(EXAMPLE_PATH)),
        None => data::parse(Path::new(EXAMPLE_PATH), EXAMPLE_DATA.as_bytes().to_vec(), true),
    }
}

/// The layout asked for: the file given, or the bundled layout the data names.
pub fn read_layout(path: Option<&Path>, data: &Document) -> Result<LoadedLayout, Problems> {
    if let Some(p) = path {
        return layout::load(p);
    }
    let names = || layout::BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
    let Some(name) = data.layout_name() else {
        return Err(Problem::new(
            &data.path,
            "layout",
            tr!(
                "missing field \"layout\": name the bundled layout to use (bundled: {names}) or give one with --layout FILE",
                names = names()
            ),
        )
        .into());
    };
    layout::bundled(name).ok_or_else(|| {
        Problem::new(
            &data.path,
            "layout",
            tr!(
                "no bundled layout is named {name} (bundled: {names}); give one with --layout FILE",
                name = format!("{name:?}"),
                names = names()
            ),
        )
        .into()
    })
}

/// The shape a layout names: a bundled shape, or a `.json` file relative
/// to the layout file.
pub fn read_shape(layout: &LoadedLayout) -> Result<Shape, Problems> {
    let name = &layout.layout.shape;
    if name.ends_with(".json") {
        let dir = layout.path.parent().unwrap_or(Path::new("."));
        return shape::load(&dir.join(name));
    }
    shape::bundled(name).ok_or_else(|| {
        Problem::new(
            &layout.path,
            "shape",
            tr!(
                "no bundled shape is named {name} (bundled: {names}); name a shape file \"….json\" next to the layout",
                name = format!("{name:?}"),
                names = shape::BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
        )
        .into()
    })
}

/// The message of a store without editions and no report year given.
pub fn no_editions() -> String {
    tr!("the data lists no editions; give the report year with --year")
}

/// The message of a report year outside the document's years.
fn out_of_years(year: i32, years: &Years, path: &Path) -> String {
    tr!(
        "--year {year}: expected a fiscal year from {first} to {last} (the years of {file})",
        year = year,
        first = years.first,
        last = years.last,
        file = path.display()
    )
}

impl Edition {
    /// Loads and checks the inputs: every problem of the data, the layout
    /// and the report year at once.
    ///
    /// ```
    /// let e = shiryo::edition::Edition::load(&shiryo::edition::Inputs::default()).unwrap();
    /// assert_eq!((e.years.first, e.years.last), (2022, 2028));
    /// assert_eq!(e.year, 2024);
    /// ```
    pub fn load(inputs: &Inputs) -> Result<Edition, Problems> {
        let data = read_data(inputs.data.as_deref());
        let layout = match (&data, &inputs.layout) {
            (_, Some(path)) => Some(layout::load(path)),
            (Ok(d), None) => Some(read_layout(None, d)),
            (Err(_), None) => None,
        };
        let (data, layout) = match (data, layout) {
            (Ok(d), Some(Ok(l))) => (d, l),
            (d, l) => {
                let mut all = Vec::new();
                if let Err(e) = d {
                    all.extend(e.0);
                }
                if let Some(Err(e)) = l {
                    all.extend(e.0);
                }
                return Err(Problems(all));
            }
        };
        let shape = read_shape(&layout)?;
        let problems = shape::check::check(&shape, &data.json, &data.path);
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        let (years, problems) = shape::check::years(&shape, &data.json, &data.path);
        let Some(years) = years else {
            return Err(Problems(problems));
        };
        let editions = data.editions(&shape, years);
        let year = match inputs.year.or_else(|| editions.last().map(|e| e.year)) {
            Some(y) => y,
            None => {
                return Err(Problem::new(&data.path, "", no_editions()).into());
            }
        };
        if !years.contains(year) {
            return Err(Problem::new(&data.path, "", out_of_years(year, &years, &data.path)).into());
        }
        let date = editions
            .iter()
            .find(|e| e.year == year)
            .and_then(|e| e.date.clone())
            .unwrap_or_else(|| format!("{:04}-04-01", year + 1));
        let fonts = std::sync::Arc::new(Fonts::for_family(&layout.layout.font.family, &layout.path)?);
        Ok(Edition {
            data,
            layout,
            shape,
            years,
            editions,
            year,
            date,
            fonts,
        })
    }

    /// The same inputs for another report year.
    pub fn for_year(&self, year: i32) -> Result<Edition, Problems> {
        if !self.years.contains(year) {
            return Err(Problem::new(&self.data.path, "", out_of_years(year, &self.years, &self.data.path)).into());
        }
        let date = self
            .editions
            .iter()
            .find(|e| e.year == year)
            .and_then(|e| e.date.clone())
            .unwrap_or_else(|| format!("{:04}-04-01", year + 1));
        Ok(Edition {
            data: self.data.clone(),
            layout: self.layout.clone(),
            shape: self.shape.clone(),
            years: self.years,
            editions: self.editions.clone(),
            year,
            date,
            fonts: self.fonts.clone(),
        })
    }

    /// The stem of output file names: the data file's stem and the short
    /// era year (`dai5ki-R6`).
    pub fn output_stem(&self) -> String {
        format!("{}-{}", self.data.stem(), crate::era::short(self.year))
    }
}
