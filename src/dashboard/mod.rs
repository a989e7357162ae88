//! The terminal screens.

use crate::cli::Context;
use crate::error::Result;

pub fn run(ctx: &Context) -> Result<()> {
    let _store = ctx.open_store(crate::store::Access::ReadWrite)?;
    Ok(())
}
