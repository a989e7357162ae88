//! `gongjian generate PATH --communities N …`: a synthetic district for scale tests.

use super::Context;
use crate::error::Result;
use crate::generate::{Spec, generate};
use crate::i18n::Lang;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// The new file (an existing path is refused)
    pub path: PathBuf,
    /// How many communities (1,000 with the defaults below is city scale)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub communities: u32,
    /// Projects per community
    #[arg(long, value_name = "P", default_value_t = 100)]
    pub projects_per_community: u32,
    /// Sessions (activities) per project
    #[arg(long, value_name = "A", default_value_t = 20)]
    pub activities_per_project: u32,
    /// The same seed and --today give the same file
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

pub fn run_generate(ctx: &Context, args: &GenerateArgs) -> Result<()> {
    let spec = Spec {
        communities: args.communities,
        projects_per_community: args.projects_per_community,
        activities_per_project: args.activities_per_project,
        seed: args.seed,
        today: ctx.today,
    };
    let started = Instant::now();
    let counts = generate(&args.path, &spec)?;
    let seconds = started.elapsed().as_secs_f64();
    let path = args.path.display();
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已生成合成街区：{path}（{} 个街道，{} 个社区，{} 个驻区单位，{} 份契约，{} 个项目，{} 次活动，{} 次会议，{} 条需求，{} 次满意度调查，{} 名报到党员，{} 次服务，{} 条考评结果；日期围绕 {}，种子 {}，用时 {seconds:.1} 秒）",
                counts.streets,
                counts.communities,
                counts.units,
                counts.contracts,
                counts.projects,
                counts.activities,
                counts.meetings,
                counts.needs,
                counts.surveys,
                counts.members,
                counts.services,
                counts.grades,
                spec.today,
                spec.seed
            ),
            Lang::En => format!(
                "generated a synthetic district at {path} ({} streets, {} communities, {} units, {} contracts, {} projects, {} activities, {} meetings, {} needs, {} surveys, {} party members, {} service sessions, {} grades; dates around {}, seed {}, {seconds:.1} s)",
                counts.streets,
                counts.communities,
                counts.units,
                counts.contracts,
                counts.projects,
                counts.activities,
                counts.meetings,
                counts.needs,
                counts.surveys,
                counts.members,
                counts.services,
                counts.grades,
                spec.today,
                spec.seed
            ),
        }
    );
    Ok(())
}
