//! shiryo (資料): turns the stored data of a municipal plan into its
//! official committee tables, a print-ready `.xlsx` and a PDF.
//!
//! The pipeline, one module per stage: inputs → one checked [`edition`]
//! (its [`data`], [`layout`] and [`shape`]) → [`table`] → [`measure`] →
//! [`paginate`] → [`render`]. The yearly cycle of templates and imports is
//! its own wing, [`yearly`]. [`diag`], [`era`], [`font`] and [`value`] are
//! leaves every stage may use.
//!
//! The public surface is the pipeline: load an [`Edition`], prepare it,
//! draw it.
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! let edition = shiryo::Edition::load(&shiryo::Inputs::default())?;
//! let prepared = shiryo::render::prepare(&edition)?;
//! let pdf = shiryo::render::pdf::render(&prepared, Default::default())?;
//! let xlsx = shiryo::render::xlsx::render(&prepared)?;
//! assert!(pdf.starts_with(b"%PDF-") && xlsx.starts_with(b"PK"));
//! # Ok(()) }
//! ```

pub mod archive;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod diag;
pub mod edition;
pub mod era;
pub mod font;
pub mod lang;
pub mod layout;
pub mod measure;
pub mod output;
pub mod paginate;
pub mod render;
pub mod shape;
pub mod table;
pub mod value;
pub mod yearly;

pub use diag::{Problem, Problems};
pub use edition::{Edition, Inputs};
