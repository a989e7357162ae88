//! Hand-worked cases for every rule of DOMAIN.md's four panels. The figures in the assertions
//! were worked out on paper from the rows below, not produced by the code under test.

use super::*;
use crate::dates::parse_ymd;
use crate::model::*;

fn d(text: &str) -> NaiveDate {
    parse_ymd(text).expect("test dates are valid")
}

fn project(id: i64, community_id: i64, unit_id: Option<i64>, due: &str, status: Status) -> Project {
    Project {
        id,
        community_id,
        unit_id,
        title: format!("项目{id}"),
        due_on: d(due),
        status,
        done_on: (status == Status::Done).then(|| due.to_string()),
    }
}

fn activity(project_id: i64, held_on: &str, planned: i64, actual: i64) -> Activity {
    Activity {
        project_id,
        held_on: d(held_on),
        planned,
        actual,
    }
}

fn meeting(community_id: i64, quarterly: bool, held_on: &str) -> Meeting {
    Meeting {
        community_id,
        quarterly,
        held_on: d(held_on),
    }
}

/// Community 1 carries every edge; community 2 a little; community 3 nothing at all.
fn district() -> District {
    use Status::*;
    District {
        streets: vec![Street {
            id: 1,
            name: "西江街道".into(),
        }],
        communities: vec![
            Community {
                id: 2,
                street_id: 1,
                name: "港宁社区".into(),
            },
            Community {
                id: 1,
                street_id: 1,
                name: "石羊塘社区".into(),
            },
            Community {
                id: 3,
                street_id: 1,
                name: "空社区".into(),
            },
        ],
        units: [
            (10, "甲医院"),
            (11, "乙学校"),
            (12, "丙企业"),
            (13, "丁物业"),
        ]
        .into_iter()
        .map(|(id, name)| Unit {
            id,
            name: name.into(),
            kind: String::new(),
        })
        .collect(),
        contracts: [(1, 10), (1, 11), (1, 12), (2, 10)]
            .into_iter()
            .map(|(community_id, unit_id)| Contract {
                community_id,
                unit_id,
            })
            .collect(),
        resources: [(1, 0), (1, 3), (1, 0), (1, 0), (1, 0), (2, 1), (2, 1)]
            .into_iter()
            .zip(1..)
            .map(|((community_id, times_used), id)| Resource {
                id,
                community_id,
                unit_id: 10,
                title: format!("资源{id}"),
                times_used,
            })
            .collect(),
        projects: vec![
            project(1, 1, Some(10), "2026-03-01", Done),
            project(2, 1, Some(10), "2026-12-31", Active),
            project(3, 1, Some(11), "2026-01-01", Cancelled),
            project(4, 1, Some(10), "2025-12-31", Done),
            project(5, 1, None, "2027-01-01", Active),
            project(6, 1, None, "2026-06-01", Paused),
            project(7, 1, Some(11), "2026-05-05", Done),
            project(8, 1, Some(13), "2025-12-31", Active),
            project(9, 1, Some(10), "2026-11-28", Active),
            project(10, 1, None, "2026-11-27", Active),
            project(20, 2, Some(10), "2026-09-30", Done),
        ],
        activities: vec![
            activity(2, "2025-12-31", 100, 0), // last year: not counted
            activity(2, "2026-01-01", 10, 6),
            activity(2, "2026-11-28", 10, 6),   // today: counted
            activity(2, "2026-11-29", 10, 0),   // after today: not counted
            activity(1, "2026-02-01", 10, 8),   // exactly 80 %: not flagged
            activity(3, "2026-01-05", 10, 1), // cancelled project: no participation row, but unit 11 took part
            activity(9, "2026-03-03", 2000, 7), // 0.35 % -> 0.4
            activity(6, "2026-04-01", 1, 1),
            activity(6, "2026-04-02", 1, 1),
            activity(6, "2026-04-03", 1, 0),
            activity(10, "2026-07-01", 2, 1),
            activity(5, "2026-07-02", 4, 2),
            activity(20, "2026-04-01", 5, 5),
        ],
        meetings: vec![
            meeting(1, true, "2026-02-10"),
            meeting(1, false, "2026-05-01"), // site visit: does not count
            meeting(1, true, "2025-12-31"),  // last year
            meeting(1, true, "2026-09-30"),
        ],
        ..District::default()
    }
}

fn figures(report: &Report, id: i64) -> &CommunityFigures {
    report
        .communities
        .iter()
        .find(|c| c.id == id)
        .expect("community present")
}

fn pct(text: &str) -> Option<Pct> {
    let tenths: i64 = text.replace('.', "").parse().expect("test pct");
    Some(Pct::of(tenths, 1000).expect("nonzero"))
}

#[test]
fn communities_are_listed_by_id() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let ids: Vec<i64> = report.communities.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert_eq!(report.year, 2026);
    assert_eq!(report.today, "2026-11-28");
    assert_eq!(figures(&report, 1).street, "西江街道");
}

#[test]
fn completion_counts_the_year_and_leaves_out_cancelled() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let c = &figures(&report, 1).completion;
    // In 2026 and not cancelled: 1, 2, 6, 7, 9, 10; done: 1 and 7.
    assert_eq!((c.done, c.total), (2, 6));
    assert_eq!(c.pct, pct("33.3"));
    assert!(c.alert, "200 < 50 × 6");
    // Unit 10 leads 1, 2, 9; unit 11 leads 7 (3 is cancelled); unit 13's project is due in 2025.
    let units: Vec<_> = c
        .units
        .iter()
        .map(|u| (u.unit_id, u.done, u.total, u.alert))
        .collect();
    assert_eq!(units, vec![(10, 1, 3, true), (11, 1, 1, false)]);
    assert_eq!(c.units[0].name, "甲医院");
    assert_eq!(c.units[0].pct, pct("33.3"));
    assert_eq!(c.units[1].pct, pct("100.0"));

    let empty = &figures(&report, 3).completion;
    assert_eq!(
        (empty.done, empty.total, empty.pct, empty.alert),
        (0, 0, None, false)
    );
}

#[test]
fn completion_at_exactly_the_threshold_is_not_flagged() {
    let mut district = district();
    district.projects.retain(|p| [1, 2].contains(&p.id)); // 1 done of 2 = 50 %
    let report = compute(&district, d("2026-11-28"), &Thresholds::default());
    let c = &figures(&report, 1).completion;
    assert_eq!((c.done, c.total, c.alert), (1, 2, false));
    assert_eq!(c.pct, pct("50.0"));
}

#[test]
fn resource_use() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let r = &figures(&report, 1).resources;
    assert_eq!((r.used, r.offered, r.alert), (1, 5, true));
    assert_eq!(r.pct, pct("20.0"));
    let r = &figures(&report, 2).resources;
    assert_eq!((r.used, r.offered, r.alert), (2, 2, false));
    let r = &figures(&report, 3).resources;
    assert_eq!((r.used, r.offered, r.pct, r.alert), (0, 0, None, false));
}

#[test]
fn overdue_is_active_or_paused_before_today_most_overdue_first() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let rows: Vec<_> = figures(&report, 1)
        .overdue
        .iter()
        .map(|o| (o.project_id, o.days_overdue, o.due_on.as_str()))
        .collect();
    // 8: 2025-12-31 -> 2026-11-28 is 332 days; 6 (paused): 2026-06-01 -> 180; 10: 1 day.
    // 9 is due today: not overdue. Done and cancelled projects never are.
    assert_eq!(
        rows,
        vec![
            (8, 332, "2025-12-31"),
            (6, 180, "2026-06-01"),
            (10, 1, "2026-11-27")
        ]
    );
    assert_eq!(
        figures(&report, 1).overdue[0].unit_name.as_deref(),
        Some("丁物业")
    );
    assert!(figures(&report, 2).overdue.is_empty());
}

#[test]
fn overdue_ties_go_by_project_id() {
    let mut district = district();
    district
        .projects
        .push(project(7_000, 1, None, "2025-12-31", Status::Active));
    district
        .projects
        .push(project(3_000, 1, None, "2025-12-31", Status::Paused));
    let report = compute(&district, d("2026-11-28"), &Thresholds::default());
    let ids: Vec<i64> = figures(&report, 1)
        .overdue
        .iter()
        .map(|o| o.project_id)
        .collect();
    assert_eq!(ids, vec![8, 3_000, 7_000, 6, 10]);
}

#[test]
fn quarters_held_missing_pending_future() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let m = &figures(&report, 1).meetings;
    use QuarterState::*;
    // Q2 had only a site visit; the 2025-12-31 meeting belongs to last year.
    assert_eq!(m.quarters, [Held, Missing, Held, Pending]);
    assert_eq!(m.missing, 1);
    assert_eq!(m.held_on[0], vec!["2026-02-10".to_string()]);
    assert!(m.held_on[1].is_empty());
    assert_eq!(
        figures(&report, 3).meetings.quarters,
        [Missing, Missing, Missing, Pending]
    );

    let may = compute(&district(), d("2026-05-15"), &Thresholds::default());
    // A quarterly meeting dated in a later quarter still makes that quarter held.
    assert_eq!(
        figures(&may, 1).meetings.quarters,
        [Held, Pending, Held, Future]
    );
    assert_eq!(figures(&may, 1).meetings.missing, 0);

    // The last day of a quarter is still inside it; the next day it has ended.
    let last_day = compute(&district(), d("2026-03-31"), &Thresholds::default());
    assert_eq!(
        figures(&last_day, 3).meetings.quarters,
        [Pending, Future, Future, Future]
    );
    let next_day = compute(&district(), d("2026-04-01"), &Thresholds::default());
    assert_eq!(
        figures(&next_day, 3).meetings.quarters,
        [Missing, Pending, Future, Future]
    );
}

#[test]
fn participation_counts_sessions_in_the_year_up_to_today() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let rows: Vec<_> = figures(&report, 1)
        .low_participation
        .iter()
        .map(|p| {
            (
                p.project_id,
                p.planned,
                p.actual,
                p.pct.map(|x| x.to_string()),
                p.sessions,
            )
        })
        .collect();
    let s = |t: &str| Some(t.to_string());
    // 9: 7/2000 = 0.35 % -> 0.4; 5 and 10: exactly 50 % (tie: by id); 2: 12/20 (2025 and
    // after-today sessions left out); 6: 2/3. Project 1 is at exactly 80 %; 3 is cancelled.
    assert_eq!(
        rows,
        vec![
            (9, 2000, 7, s("0.4"), 1),
            (5, 4, 2, s("50.0"), 1),
            (10, 2, 1, s("50.0"), 1),
            (2, 20, 12, s("60.0"), 2),
            (6, 3, 2, s("66.7"), 3),
        ]
    );
    assert!(figures(&report, 2).low_participation.is_empty());
}

#[test]
fn inactive_units_count_every_project_of_the_unit_in_this_community() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let rows: Vec<_> = figures(&report, 1)
        .inactive_units
        .iter()
        .map(|u| (u.unit_id, u.activities))
        .collect();
    // Unit 10: 4 sessions. Unit 11: 1 (of a cancelled project, which still counts).
    // Unit 12: none. Unit 13 leads a project here but has no contract: not listed.
    assert_eq!(rows, vec![(11, 1), (12, 0)]);
    assert_eq!(figures(&report, 1).inactive_units[0].name, "乙学校");
    // In community 2, unit 10's sessions in community 1 do not count.
    let rows: Vec<_> = figures(&report, 2)
        .inactive_units
        .iter()
        .map(|u| (u.unit_id, u.activities))
        .collect();
    assert_eq!(rows, vec![(10, 1)]);
}

#[test]
fn alerts_add_up_every_flag() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    // 1 completion + 1 resources + 3 overdue + 1 missing quarter + 5 projects + 2 units.
    assert_eq!(figures(&report, 1).alerts, 13);
    // 3 missing quarters + 1 inactive unit.
    assert_eq!(figures(&report, 2).alerts, 4);
    // Nothing but the three quarters that ended without a meeting.
    assert_eq!(figures(&report, 3).alerts, 3);
}

#[test]
fn first_day_of_next_year_starts_afresh() {
    let report = compute(&district(), d("2027-01-01"), &Thresholds::default());
    let c1 = figures(&report, 1);
    assert_eq!(report.year, 2027);
    // Only project 5 is due in 2027.
    assert_eq!(
        (c1.completion.done, c1.completion.total, c1.completion.alert),
        (0, 1, true)
    );
    assert_eq!(c1.completion.pct, pct("0.0"));
    let overdue: Vec<_> = c1
        .overdue
        .iter()
        .map(|o| (o.project_id, o.days_overdue))
        .collect();
    assert_eq!(overdue, vec![(8, 366), (6, 214), (10, 35), (9, 34), (2, 1)]);
    use QuarterState::*;
    assert_eq!(c1.meetings.quarters, [Pending, Future, Future, Future]);
    assert!(c1.low_participation.is_empty());
    let units: Vec<_> = c1
        .inactive_units
        .iter()
        .map(|u| (u.unit_id, u.activities))
        .collect();
    assert_eq!(units, vec![(10, 0), (11, 0), (12, 0)]);
    assert_eq!(c1.alerts, 1 + 1 + 5 + 3);
}

#[test]
fn settings_override_the_defaults() {
    let thresholds = Thresholds {
        completion_alert_pct: 33,
        resource_alert_pct: 20,
        participation_alert_pct: 60,
        min_unit_activities: 0,
        ..Thresholds::default()
    };
    let report = compute(&district(), d("2026-11-28"), &thresholds);
    let c1 = figures(&report, 1);
    assert!(!c1.completion.alert, "200 < 33 × 6 = 198 is false");
    assert!(!c1.resources.alert, "100 < 20 × 5 is false");
    let flagged: Vec<i64> = c1.low_participation.iter().map(|p| p.project_id).collect();
    assert_eq!(
        flagged,
        vec![9, 5, 10],
        "project 2 at exactly 60 % is not flagged"
    );
    assert!(c1.inactive_units.is_empty());
    assert_eq!(c1.alerts, 3 + 1 + 3);

    let strict = Thresholds {
        completion_alert_pct: 100,
        ..Thresholds::default()
    };
    let report = compute(&district(), d("2026-11-28"), &strict);
    let units: Vec<bool> = figures(&report, 1)
        .completion
        .units
        .iter()
        .map(|u| u.alert)
        .collect();
    assert_eq!(units, vec![true, false]);
    assert!(
        !figures(&report, 2).completion.alert,
        "1 of 1 is not below 100 %"
    );
}

#[test]
fn json_matches_the_report_contract_shape() {
    let report = compute(&district(), d("2026-11-28"), &Thresholds::default());
    let json = serde_json::to_value(&report).expect("serialises");
    let c3 = &json["communities"][2];
    assert_eq!(c3["completion"]["pct"], serde_json::Value::Null);
    assert_eq!(
        c3["meetings"]["quarters"],
        serde_json::json!(["missing", "missing", "missing", "pending"])
    );
    assert_eq!(json["thresholds"]["min_unit_activities"], 2);
    assert_eq!(
        json["communities"][0]["completion"]["pct"],
        serde_json::json!(33.3)
    );
    assert_eq!(
        json["communities"][0]["low_participation"][0]["pct"],
        serde_json::json!(0.4)
    );
}
