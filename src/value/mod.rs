//! The value kinds whose stored form is more than a string: decimals kept
//! as written, year series, targets, quantities and editions. A shape
//! gives a field one of these kinds (see [`crate::shape::Kind`]); the table
//! stage prints them, import writes them.

mod decimal;
mod editions;
mod quantity;
mod series;
mod target;

pub use decimal::{Decimal, DecimalError};
pub use editions::{Edition, is_iso_date};
pub use quantity::Quantity;
pub use series::{YearEntry, YearValue};
pub use target::{Qualifier, Target};
