//! shiryo (資料): turns the stored data of a municipal welfare plan into its
//! official committee tables, a print-ready `.xlsx` and a PDF.
//!
//! The pipeline, one module per stage:
//! [`data`] → [`layout`] → [`table`] → [`measure`] → [`paginate`] → [`render`].

pub mod archive;
pub mod check;
pub mod cli;
pub mod data;
pub mod diag;
pub mod era;
pub mod identity;
pub mod import;
pub mod layout;
pub mod measure;
pub mod output;
pub mod paginate;
pub mod render;
pub mod schema;
pub mod table;
pub mod template;
