//! Output files: pure serializers (`tables`, `provenance`) and one atomic
//! folder writer (`folder`).

pub mod folder;
pub mod html;
pub mod observed;
pub mod pairs;
pub mod provenance;
pub mod summary;
pub mod tables;

pub use folder::{OutputError, check_writable, write_folder};
