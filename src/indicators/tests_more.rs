//! Hand-worked cases for indicators 5–7 (needs, satisfaction, members). Every figure in the
//! assertions was worked out on paper from the rows below; today is 2026-11-28 unless said.

use super::*;
use crate::dates::parse_ymd;
use crate::model::*;

fn d(text: &str) -> NaiveDate {
    parse_ymd(text).expect("test dates are valid")
}

fn project(id: i64, community_id: i64, status: Status) -> Project {
    Project {
        id,
        community_id,
        unit_id: Some(10),
        title: format!("项目{id}"),
        due_on: d("2026-12-31"),
        status,
        done_on: None,
    }
}

fn need(id: i64, community_id: i64, raised_on: &str) -> Need {
    Need {
        id,
        community_id,
        title: format!("需求{id}"),
        raised_on: d(raised_on),
    }
}

fn link(project_id: i64, need_id: i64, status: Status) -> NeedLink {
    NeedLink {
        project_id,
        need_id,
        status,
    }
}

fn survey(project_id: i64, held_on: &str, respondents: i64, satisfied: i64) -> Survey {
    Survey {
        project_id,
        held_on: d(held_on),
        respondents,
        satisfied,
    }
}

fn member(
    id: i64,
    community_id: i64,
    unit_id: Option<i64>,
    registered: &str,
    left: Option<&str>,
) -> Member {
    Member {
        id,
        community_id,
        unit_id,
        registered_on: d(registered),
        left_on: left.map(d),
    }
}

fn service(member_id: i64, served_on: &str, minutes: i64) -> Service {
    Service {
        member_id,
        served_on: d(served_on),
        minutes,
    }
}

fn resource(id: i64, community_id: i64, unit_id: i64, times_used: i64) -> Resource {
    Resource {
        id,
        community_id,
        unit_id,
        title: format!("资源{id}"),
        times_used,
    }
}

/// Community 1 carries every edge, community 2 a little, community 3 nothing.
fn district() -> District {
    use Status::*;
    District {
        streets: vec![Street {
            id: 1,
            name: "西江街道".into(),
        }],
        communities: [(1, "石羊塘社区"), (2, "港宁社区"), (3, "空社区")]
            .into_iter()
            .map(|(id, name)| Community {
                id,
                street_id: 1,
                name: name.into(),
            })
            .collect(),
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
        resources: vec![
            resource(3, 1, 11, 0),
            resource(1, 1, 10, 0),
            resource(2, 1, 11, 3),
            resource(4, 2, 10, 1),
        ],
        projects: vec![
            project(1, 1, Active),
            project(2, 1, Cancelled),
            project(3, 2, Done),
            project(4, 1, Active),
            project(5, 1, Cancelled),
            project(6, 2, Active),
            project(8, 1, Paused),
        ],
        needs: vec![
            need(1, 1, "2026-01-10"), // answered by project 1
            need(2, 1, "2026-09-29"), // answered only by cancelled project 2; waits exactly 60 days
            need(3, 1, "2026-02-01"), // answered by project 3 of community 2
            need(4, 1, "2026-09-30"), // 59 days: not yet unmet
            need(5, 1, "2025-06-01"), // last year, still unmet: 545 days
            need(6, 1, "2026-11-29"), // raised after today: not counted
            need(7, 1, "2026-11-28"), // raised today
            need(8, 1, "2025-06-01"), // as long as need 5: by id
            need(9, 2, "2026-10-01"), // answered by project 6
        ],
        need_links: vec![
            link(1, 1, Active),
            link(2, 2, Cancelled),
            link(3, 3, Done),
            link(6, 9, Active),
        ],
        surveys: vec![
            survey(1, "2026-03-01", 50, 20),
            survey(1, "2026-06-01", 10, 10),
            survey(1, "2026-11-28", 20, 12), // today: counted
            survey(4, "2026-05-01", 40, 38),
            survey(4, "2026-11-29", 100, 0), // after today
            survey(4, "2025-12-31", 100, 0), // last year
            survey(5, "2026-05-01", 100, 0), // cancelled project
            survey(8, "2026-08-01", 40, 21), // the same ratio as project 1: by id
            survey(6, "2026-04-01", 10, 8),  // exactly 80 %: not flagged
            survey(99, "2026-04-01", 10, 0), // no such project
        ],
        members: vec![
            member(1, 1, Some(10), "2026-01-01", None),
            member(2, 1, Some(10), "2026-02-01", None),
            member(3, 1, Some(11), "2026-01-01", Some("2026-06-30")), // left before today
            member(4, 1, Some(11), "2026-01-01", Some("2026-11-28")), // left today: not active
            member(5, 1, None, "2026-03-01", None),
            member(6, 1, Some(12), "2026-12-01", None), // registers after today
            member(7, 1, Some(13), "2026-01-01", Some("2026-11-29")), // leaves tomorrow: active
            member(8, 1, None, "2026-01-01", None),
            member(9, 2, Some(10), "2026-01-01", None),
            member(10, 42, Some(10), "2026-01-01", None), // no such community
        ],
        services: vec![
            service(1, "2026-03-01", 90),
            service(1, "2026-11-28", 30), // today
            service(3, "2026-05-01", 45), // a member who has left: minutes count
            service(4, "2026-11-01", 60),
            service(5, "2026-11-29", 100), // after today
            service(5, "2025-12-31", 100), // last year
            service(7, "2026-04-01", 15),
            service(8, "2026-07-01", 1),
            service(9, "2026-02-02", 600),
            service(10, "2026-02-02", 600),
            service(77, "2026-02-02", 600), // no such member
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

fn today_report() -> Report {
    compute(&district(), d("2026-11-28"), &Thresholds::default())
}

fn pct(text: &str) -> Option<Pct> {
    let tenths: i64 = text.replace('.', "").parse().expect("test pct");
    Pct::of(tenths, 1000)
}

#[test]
fn needs_count_what_is_raised_by_today_and_answered_by_any_live_project() {
    let report = today_report();
    let c1 = &figures(&report, 1).needs;
    assert_eq!(c1.total, 7, "needs 1–5, 7, 8; need 6 is raised after today");
    assert_eq!(
        c1.answered, 2,
        "needs 1 and 3 (by another community's project)"
    );
    let unmet: Vec<(i64, i64)> = c1
        .unmet
        .iter()
        .map(|n| (n.need_id, n.days_waiting))
        .collect();
    assert_eq!(
        unmet,
        vec![(5, 545), (8, 545), (2, 60)],
        "a cancelled project answers nothing; need 4 waits 59 days, need 7 none"
    );
    assert_eq!(c1.unmet[2].raised_on, "2026-09-29");
    assert_eq!(c1.unmet[2].title, "需求2");
    let c2 = &figures(&report, 2).needs;
    assert_eq!((c2.total, c2.answered, c2.unmet.len()), (1, 1, 0));
    let c3 = &figures(&report, 3).needs;
    assert_eq!((c3.total, c3.answered, c3.unmet.len()), (0, 0, 0));
}

#[test]
fn idle_resources_are_the_unused_ones_by_id() {
    let report = today_report();
    let idle: Vec<(i64, i64, &str)> = figures(&report, 1)
        .needs
        .idle_resources
        .iter()
        .map(|r| (r.resource_id, r.unit_id, r.title.as_str()))
        .collect();
    assert_eq!(idle, vec![(1, 10, "资源1"), (3, 11, "资源3")]);
    assert!(figures(&report, 2).needs.idle_resources.is_empty());
}

#[test]
fn need_response_days_moves_the_line() {
    let none = Thresholds {
        need_response_days: 0,
        ..Thresholds::default()
    };
    let report = compute(&district(), d("2026-11-28"), &none);
    let unmet: Vec<i64> = figures(&report, 1)
        .needs
        .unmet
        .iter()
        .map(|n| n.need_id)
        .collect();
    assert_eq!(unmet, vec![5, 8, 2, 4, 7], "raised today counts at 0 days");
    let long = Thresholds {
        need_response_days: 3650,
        ..Thresholds::default()
    };
    let report = compute(&district(), d("2026-11-28"), &long);
    assert!(figures(&report, 1).needs.unmet.is_empty());
}

#[test]
fn satisfaction_sums_the_years_surveys_of_live_projects_up_to_today() {
    let report = today_report();
    let s = &figures(&report, 1).satisfaction;
    // Project 1: 50 + 10 + 20 = 80 asked, 20 + 10 + 12 = 42 satisfied; project 4: 40 / 38;
    // project 8: 40 / 21. The community: 160 / 101 = 63.125 %.
    assert_eq!((s.respondents, s.satisfied), (160, 101));
    assert_eq!(s.pct, pct("63.1"));
    assert!(s.alert, "10100 < 80 × 160");
    let rows: Vec<(i64, i64, i64, Option<Pct>, bool)> = s
        .projects
        .iter()
        .map(|p| (p.project_id, p.respondents, p.satisfied, p.pct, p.alert))
        .collect();
    assert_eq!(
        rows,
        vec![
            (1, 80, 42, pct("52.5"), true),
            (8, 40, 21, pct("52.5"), true),
            (4, 40, 38, pct("95.0"), false),
        ],
        "lowest ratio first, ties by id; the cancelled project 5 is left out"
    );
    assert_eq!(s.projects[0].title, "项目1");
    let c2 = &figures(&report, 2).satisfaction;
    assert_eq!((c2.respondents, c2.satisfied, c2.pct), (10, 8, pct("80.0")));
    assert!(!c2.alert, "exactly 80 % is not below 80 %");
    assert!(!c2.projects[0].alert);
    let c3 = &figures(&report, 3).satisfaction;
    assert_eq!((c3.respondents, c3.pct, c3.alert), (0, None, false));
    assert!(c3.projects.is_empty());
}

#[test]
fn a_survey_held_after_today_counts_from_its_day() {
    let report = compute(&district(), d("2026-11-29"), &Thresholds::default());
    let p4 = figures(&report, 1)
        .satisfaction
        .projects
        .iter()
        .find(|p| p.project_id == 4)
        .expect("project 4");
    assert_eq!((p4.respondents, p4.satisfied), (140, 38));
}

#[test]
fn members_count_the_active_and_every_minute_of_the_year() {
    let report = today_report();
    let m = &figures(&report, 1).members;
    // Active: 1, 2, 5, 7, 8 (3 left before today, 4 left today, 6 registers later).
    // Recorded: 1, 7, 8. Minutes: 90 + 30 + 45 + 60 + 15 + 1 (members 3 and 4 too).
    assert_eq!((m.active, m.recorded, m.minutes), (5, 3, 241));
    assert_eq!(m.pct, pct("60.0"));
    assert!(m.alert, "300 < 80 × 5");
    type UnitRow<'a> = (
        Option<i64>,
        Option<&'a str>,
        u32,
        u32,
        i64,
        Option<Pct>,
        bool,
    );
    let units: Vec<UnitRow> = m
        .units
        .iter()
        .map(|u| {
            (
                u.unit_id,
                u.name.as_deref(),
                u.active,
                u.recorded,
                u.minutes,
                u.pct,
                u.alert,
            )
        })
        .collect();
    assert_eq!(
        units,
        vec![
            (Some(10), Some("甲医院"), 2, 1, 120, pct("50.0"), true),
            (Some(11), Some("乙学校"), 0, 0, 105, None, false),
            (Some(13), Some("丁物业"), 1, 1, 15, pct("100.0"), false),
            (None, None, 2, 1, 1, pct("50.0"), true),
        ],
        "unit 12 has no active member and no minutes; no unit is last"
    );
    let c2 = &figures(&report, 2).members;
    assert_eq!(
        (c2.active, c2.recorded, c2.minutes, c2.alert),
        (1, 1, 600, false)
    );
    let c3 = &figures(&report, 3).members;
    assert_eq!((c3.active, c3.pct, c3.alert), (0, None, false));
    assert!(c3.units.is_empty());
}

#[test]
fn member_record_alert_pct_is_compared_exactly() {
    let at_60 = Thresholds {
        member_record_alert_pct: 60,
        satisfaction_alert_pct: 0,
        ..Thresholds::default()
    };
    let report = compute(&district(), d("2026-11-28"), &at_60);
    let c1 = figures(&report, 1);
    assert!(!c1.members.alert, "3 of 5 is exactly 60 %");
    assert!(!c1.satisfaction.alert && c1.satisfaction.projects.iter().all(|p| !p.alert));
    assert_eq!(c1.more_alerts, 3, "the three unmet needs only");
}

#[test]
fn more_alerts_counts_the_new_panels_and_leaves_alerts_alone() {
    let report = today_report();
    assert_eq!(figures(&report, 1).more_alerts, 3 + 1 + 1);
    assert_eq!(figures(&report, 2).more_alerts, 0);
    assert_eq!(figures(&report, 3).more_alerts, 0);

    // The same district without any version-2 row: every version-1 figure is the same.
    let mut plain = district();
    plain.needs.clear();
    plain.need_links.clear();
    plain.surveys.clear();
    plain.members.clear();
    plain.services.clear();
    let before = compute(&plain, d("2026-11-28"), &Thresholds::default());
    for (a, b) in before.communities.iter().zip(&report.communities) {
        assert_eq!(a.alerts, b.alerts);
        assert_eq!(a.completion, b.completion);
        assert_eq!(a.resources, b.resources);
        assert_eq!(a.overdue, b.overdue);
        assert_eq!(a.meetings, b.meetings);
        assert_eq!(a.low_participation, b.low_participation);
        assert_eq!(a.inactive_units, b.inactive_units);
    }
}

#[test]
fn hours_round_half_away_from_zero_in_integers() {
    for (minutes, shown) in [
        (90, "1.5"),
        (241, "4.0"),
        (3, "0.1"), // 0.05 h exactly
        (2, "0.0"),
        (9, "0.2"), // 0.15 h exactly
        (0, "0.0"),
        (60, "1.0"),
        (5400, "90.0"),
    ] {
        assert_eq!(hours_text(minutes), shown, "{minutes} min");
    }
}

#[test]
fn the_json_carries_the_contract_fields_in_order_with_nulls() {
    let report = today_report();
    let c3 = serde_json::to_string(&figures(&report, 3)).expect("json");
    assert!(
        c3.contains(r#""more_alerts":0,"needs":{"total":0,"answered":0,"unmet":[],"idle_resources":[]},"satisfaction":{"respondents":0,"satisfied":0,"pct":null,"alert":false,"projects":[]},"members":{"active":0,"recorded":0,"minutes":0,"pct":null,"alert":false,"units":[]}"#),
        "{c3}"
    );
    let c1 = serde_json::to_string(&figures(&report, 1)).expect("json");
    for part in [
        r#""unmet":[{"need_id":5,"title":"需求5","raised_on":"2025-06-01","days_waiting":545},"#,
        r#""idle_resources":[{"resource_id":1,"title":"资源1","unit_id":10},"#,
        r#"{"project_id":1,"title":"项目1","respondents":80,"satisfied":42,"pct":52.5,"alert":true}"#,
        r#""members":{"active":5,"recorded":3,"minutes":241,"pct":60.0,"alert":true,"units":[{"unit_id":10,"name":"甲医院","active":2,"recorded":1,"minutes":120,"#,
        r#"{"unit_id":null,"name":null,"active":2,"recorded":1,"minutes":1,"#,
    ] {
        assert!(c1.contains(part), "{part}\n{c1}");
    }
}
