//! Criterion benchmarks for issue 7 (a city-sized district stays instant), at sizes that let
//! `cargo bench` finish in a few minutes. City-scale, whole-program figures come from
//! `benches/city.sh`, which drives the release binary and `benches/probe.rs`.
//!
//! - `figures/*`: one district of 100 communities (10,000 projects, 200,000 activities): the
//!   report as `report --format json` computes it (through the summaries), the same from the
//!   activity rows (the plain definition), and the dashboard's `read_snapshot`.
//! - `keystroke/*`: the overview of 1,000 communities redrawn on a 160×45 test terminal after a
//!   key that moves, sorts or filters.

#[path = "support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use gongjian::dashboard::worker::read_snapshot;
use gongjian::i18n::Lang;
use gongjian::report::{Format, render};
use gongjian::store::{Access, Store, load_day, load_district, read_thresholds};
use gongjian::{cli, indicators};
use ratatui::crossterm::event::KeyCode;
use std::hint::black_box;
use std::time::Duration;
use support::{app, draw, keystroke, terminal, today};

fn figures(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = support::district(dir.path(), 100, 100, 20);
    let mut group = c.benchmark_group("figures/100 communities, 200k activities");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));

    group.bench_function("report json (summaries)", |b| {
        b.iter(|| {
            let store = Store::open(&path, Access::ReadOnly).expect("open");
            let (report, _) = cli::compute_report(&store, today()).expect("report");
            black_box(render(&report, Format::Json, Lang::Zh))
        })
    });
    group.bench_function("report json (activity rows, plain)", |b| {
        b.iter(|| {
            let store = Store::open(&path, Access::ReadOnly).expect("open");
            let thresholds = read_thresholds(store.conn()).expect("thresholds");
            let district = load_district(store.conn(), 2026).expect("district");
            let report = indicators::compute(&district, today(), &thresholds);
            black_box(render(&report, Format::Json, Lang::Zh))
        })
    });
    group.bench_function("load_day + compute_day", |b| {
        let store = Store::open(&path, Access::ReadOnly).expect("open");
        b.iter(|| {
            let thresholds = read_thresholds(store.conn()).expect("thresholds");
            let day = load_day(store.conn(), today()).expect("day");
            black_box(indicators::compute_day(&day, today(), &thresholds))
        })
    });
    group.bench_function("dashboard read_snapshot", |b| {
        let store = Store::open(&path, Access::ReadOnly).expect("open");
        b.iter(|| black_box(read_snapshot(&store, Some(today())).expect("snapshot")))
    });
    group.finish();
}

fn keystrokes(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    // The overview's cost depends on the number of communities, not on their projects.
    let path = support::district(dir.path(), 1000, 3, 2);
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    let snapshot = read_snapshot(&store, Some(today())).expect("snapshot");
    let mut group = c.benchmark_group("keystroke/1000 communities, 160x45");
    group.sample_size(50);

    for (name, code) in [
        ("move (j)", KeyCode::Char('j')),
        ("sort (s)", KeyCode::Char('s')),
        ("flagged only (f)", KeyCode::Char('f')),
    ] {
        let mut app = app(snapshot.clone());
        let mut term = terminal();
        draw(&app, &mut term);
        group.bench_function(name, |b| b.iter(|| keystroke(&mut app, &mut term, code)));
    }
    let mut app = app(snapshot.clone());
    let mut term = terminal();
    draw(&app, &mut term);
    keystroke(&mut app, &mut term, KeyCode::Char('/'));
    group.bench_function("filter: type and erase a letter", |b| {
        b.iter(|| {
            keystroke(&mut app, &mut term, KeyCode::Char('社'));
            keystroke(&mut app, &mut term, KeyCode::Backspace);
        })
    });
    group.finish();
}

criterion_group!(benches, figures, keystrokes);
criterion_main!(benches);
