//! gongjian (共建): a terminal dashboard for contract-based co-building in sub-district offices.
//!
//! Layers, each in its own folder: `store` (the shared SQLite file), `indicators` (pure
//! figures), `report` (headless output), `adjust` (changes and their log), `dashboard` (the
//! terminal screens), `cli` (commands).

pub mod adjust;
pub mod cli;
pub mod context;
pub mod dashboard;
pub mod dates;
pub mod error;
pub mod fields;
pub mod files;
pub mod generate;
pub mod i18n;
pub mod indicators;
pub mod model;
pub mod report;
pub mod review;
pub mod spreadsheet;
pub mod store;
pub mod text;
pub mod vocab;
