//! `gongjian backup FILE`: a checked copy of the shared file, taken while others work.

use super::Context;
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::Access;
use std::path::Path;

pub fn run_backup(ctx: &Context, file: &Path) -> Result<()> {
    // Reading is all a backup needs: it never waits for, or blocks, a writer.
    let store = ctx.open_store(Access::ReadOnly)?;
    let done = store.backup_to(file)?;
    let kib = done.bytes.div_ceil(1024);
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已备份到 {}（{} 页，{kib} KiB，数据结构版本 {}），完整性检查通过",
                done.path.display(),
                done.pages,
                done.version
            ),
            Lang::En => format!(
                "backed up to {} ({} pages, {kib} KiB, schema version {}); integrity check ok",
                done.path.display(),
                done.pages,
                done.version
            ),
        }
    );
    Ok(())
}
