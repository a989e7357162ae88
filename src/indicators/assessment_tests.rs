//! Hand-worked cases for the year-end rules: each contradiction rule on its own, each
//! ranking tie-break on its own, and the gathering of the record from a district. The expected
//! values were worked out from the rows written here, not taken from the code.

use super::*;
use crate::dates::parse_ymd;
use crate::i18n::Lang;
use crate::model::*;

fn d(text: &str) -> NaiveDate {
    parse_ymd(text).expect("test dates are valid")
}

fn grade(subject: Subject, subject_id: i64, assessor: Assessor, grade: Grade) -> GradeRow {
    GradeRow {
        id: 0,
        year: 2026,
        subject,
        subject_id,
        assessor,
        grade,
        note: String::new(),
    }
}

/// A community that qualifies as a model: 8 of 10 done, nothing flagged.
fn community(id: i64) -> CommunityYear {
    CommunityYear {
        id,
        name: format!("社区{id}"),
        street: "西江街道".into(),
        completion: Tally {
            done: 8,
            total: 10,
            alert: false,
        },
        resources: Tally {
            done: 3,
            total: 5,
            alert: false,
        },
        overdue: Vec::new(),
        quarters: [QuarterState::Held; 4],
        meetings_held: Default::default(),
        participation: Ratio::of(90, 100),
        satisfaction: Ratio::of(45, 50),
        satisfaction_alert: false,
        grades: Vec::new(),
    }
}

/// A unit that qualifies as a model: one contract, 2 of 2 done, 4 activities.
fn unit(id: i64) -> UnitYear {
    UnitYear {
        id,
        name: format!("单位{id}"),
        contracts: vec![(100 + id, 1)],
        completion: Tally {
            done: 2,
            total: 2,
            alert: false,
        },
        completion_by_community: Vec::new(),
        overdue: Vec::new(),
        inactive_in: Vec::new(),
        activities: 4,
        minutes: 0,
        grades: Vec::new(),
        contract_grades: Vec::new(),
    }
}

fn overdue(project_id: i64, days: i64) -> Overdue {
    Overdue {
        project_id,
        title: format!("项目{project_id}"),
        due_on: "2026-10-01".into(),
        days_overdue: days,
        status: Status::Active,
        unit_id: Some(7),
        unit_name: Some("单位7".into()),
    }
}

fn record(communities: Vec<CommunityYear>, units: Vec<UnitYear>) -> YearRecord {
    YearRecord {
        year: 2026,
        today: d("2026-12-31"),
        settings: Thresholds::default(),
        communities,
        units,
    }
}

fn self_excellent(subject: Subject, id: i64) -> GradeRow {
    grade(subject, id, Assessor::SelfGrade, Grade::Excellent)
}

fn community_verdict(c: CommunityYear) -> CommunityVerdict {
    let a = assess(&record(vec![c], Vec::new()));
    a.communities.into_iter().next().expect("one community")
}

fn unit_verdict(u: UnitYear) -> UnitVerdict {
    let a = assess(&record(vec![community(1)], vec![u]));
    a.units.into_iter().next().expect("one unit")
}

// ---- contradicted self-assessments: communities ----

#[test]
fn a_community_that_earns_its_excellent_is_not_flagged() {
    let mut c = community(1);
    c.grades = vec![
        self_excellent(Subject::Community, 1),
        grade(Subject::Community, 1, Assessor::ThirdParty, Grade::Good),
    ];
    let v = community_verdict(c);
    assert!(!v.mismatch);
    assert!(v.reasons.is_empty());
    assert_eq!(v.grades.self_grade, Some(Grade::Excellent));
    assert_eq!(v.grades.third_party, Some(Grade::Good));
}

#[test]
fn community_third_party_fair_or_poor_contradicts() {
    for low in [Grade::Fair, Grade::Poor] {
        let mut c = community(1);
        c.grades = vec![
            self_excellent(Subject::Community, 1),
            grade(Subject::Community, 1, Assessor::ThirdParty, low),
        ];
        let v = community_verdict(c);
        assert!(v.mismatch, "{low:?}");
        assert_eq!(v.reasons, vec![Reason::ThirdPartyGrade { grade: low }]);
    }
}

#[test]
fn community_completion_flagged_contradicts() {
    let mut c = community(1);
    c.completion = Tally {
        done: 4,
        total: 10,
        alert: true,
    };
    c.grades = vec![self_excellent(Subject::Community, 1)];
    let v = community_verdict(c);
    assert_eq!(
        v.reasons,
        vec![Reason::CompletionFlagged { done: 4, total: 10 }]
    );
    assert_eq!(v.reasons[0].words(Lang::Zh), "清单完成率低于预警线（4/10）");
}

#[test]
fn community_overdue_project_contradicts_and_names_it() {
    let mut c = community(1);
    c.overdue = vec![overdue(12, 91)];
    c.grades = vec![self_excellent(Subject::Community, 1)];
    let v = community_verdict(c);
    assert!(v.mismatch);
    assert_eq!(
        v.reasons[0].words(Lang::Zh),
        "1个逾期项目：项目12（社区1，逾期91天）"
    );
    assert_eq!(
        v.reasons[0].words(Lang::En),
        "1 overdue project: 项目12 (社区1, 91 days)"
    );
}

#[test]
fn community_missing_quarter_contradicts_and_names_it() {
    let mut c = community(1);
    c.quarters[1] = QuarterState::Missing;
    c.quarters[3] = QuarterState::Missing;
    c.grades = vec![self_excellent(Subject::Community, 1)];
    let v = community_verdict(c);
    assert_eq!(
        v.reasons,
        vec![Reason::MissingQuarters {
            quarters: vec![2, 4]
        }]
    );
    assert_eq!(v.reasons[0].words(Lang::Zh), "第2季度、第4季度未开季度例会");
    assert_eq!(
        v.reasons[0].words(Lang::En),
        "no quarterly meeting in Q2, Q4"
    );
}

#[test]
fn a_community_not_graded_excellent_by_itself_is_never_flagged() {
    for own in [None, Some(Grade::Good), Some(Grade::Fair)] {
        let mut c = community(1);
        c.completion.alert = true;
        c.overdue = vec![overdue(1, 5)];
        c.quarters = [QuarterState::Missing; 4];
        c.grades = vec![grade(
            Subject::Community,
            1,
            Assessor::ThirdParty,
            Grade::Poor,
        )];
        if let Some(own) = own {
            c.grades
                .push(grade(Subject::Community, 1, Assessor::SelfGrade, own));
        }
        let v = community_verdict(c);
        assert!(!v.mismatch, "{own:?}");
        assert!(v.reasons.is_empty());
    }
}

#[test]
fn resources_and_satisfaction_do_not_contradict_a_self_grade() {
    // They bar the model list, but the contradiction rules do not name them.
    let mut c = community(1);
    c.resources.alert = true;
    c.satisfaction_alert = true;
    c.grades = vec![self_excellent(Subject::Community, 1)];
    let v = community_verdict(c);
    assert!(!v.mismatch);
    assert_eq!(
        v.bars,
        vec![Bar::ResourcesFlagged, Bar::SatisfactionFlagged]
    );
}

#[test]
fn every_community_reason_at_once_in_rule_order() {
    let mut c = community(1);
    c.completion = Tally {
        done: 0,
        total: 1,
        alert: true,
    };
    c.overdue = vec![overdue(3, 10)];
    c.quarters[0] = QuarterState::Missing;
    c.grades = vec![
        self_excellent(Subject::Community, 1),
        grade(Subject::Community, 1, Assessor::ThirdParty, Grade::Fair),
    ];
    let v = community_verdict(c);
    let kinds: Vec<&str> = v
        .reasons
        .iter()
        .map(|r| match r {
            Reason::ThirdPartyGrade { .. } => "third",
            Reason::CompletionFlagged { .. } => "completion",
            Reason::Overdue { .. } => "overdue",
            Reason::MissingQuarters { .. } => "quarters",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["third", "completion", "overdue", "quarters"]);
}

// ---- contradicted self-assessments: units ----

#[test]
fn a_unit_that_earns_its_excellent_is_not_flagged() {
    let mut u = unit(7);
    u.grades = vec![self_excellent(Subject::Unit, 7)];
    u.contract_grades = vec![(
        1,
        grade(Subject::Contract, 107, Assessor::Community, Grade::Good),
    )];
    let v = unit_verdict(u);
    assert!(!v.mismatch);
    assert_eq!(
        v.grades.community,
        vec![ContractGrade {
            community_id: 1,
            grade: Grade::Good
        }]
    );
}

#[test]
fn unit_community_grade_fair_or_poor_contradicts() {
    for low in [Grade::Fair, Grade::Poor] {
        let mut u = unit(7);
        u.grades = vec![self_excellent(Subject::Unit, 7)];
        u.contract_grades = vec![(1, grade(Subject::Contract, 107, Assessor::Community, low))];
        let v = unit_verdict(u);
        assert!(v.mismatch);
        assert_eq!(
            v.reasons,
            vec![Reason::CommunityGrade {
                community_id: 1,
                community: "社区1".into(),
                grade: low
            }]
        );
    }
}

#[test]
fn unit_overdue_project_in_any_community_contradicts() {
    let mut u = unit(7);
    u.grades = vec![self_excellent(Subject::Unit, 7)];
    u.overdue = vec![PlacedOverdue {
        community_id: 4,
        community: "社区4".into(),
        project: overdue(30, 2),
    }];
    let v = unit_verdict(u);
    assert!(v.mismatch);
    assert_eq!(
        v.reasons[0].words(Lang::Zh),
        "1个逾期项目：项目30（社区4，逾期2天）"
    );
}

#[test]
fn unit_completion_flagged_contradicts() {
    let mut u = unit(7);
    u.grades = vec![self_excellent(Subject::Unit, 7)];
    u.completion = Tally {
        done: 1,
        total: 3,
        alert: true,
    };
    let v = unit_verdict(u);
    assert_eq!(
        v.reasons,
        vec![Reason::CompletionFlagged { done: 1, total: 3 }]
    );
}

#[test]
fn unit_inactive_in_a_contracted_community_contradicts() {
    let mut u = unit(7);
    u.grades = vec![self_excellent(Subject::Unit, 7)];
    u.inactive_in = vec![InactiveIn {
        community_id: 1,
        community: "社区1".into(),
        activities: 1,
    }];
    let v = unit_verdict(u);
    assert!(v.mismatch);
    assert_eq!(
        v.reasons[0].words(Lang::Zh),
        "参与不足：社区1（全年1次活动）"
    );
    assert_eq!(
        v.reasons[0].words(Lang::En),
        "inactive in 社区1 (1 activities)"
    );
}

#[test]
fn a_third_party_grade_of_a_unit_is_shown_but_does_not_contradict() {
    // The unit rules name the community's grade of a contract, not a third party's.
    let mut u = unit(7);
    u.grades = vec![
        self_excellent(Subject::Unit, 7),
        grade(Subject::Unit, 7, Assessor::ThirdParty, Grade::Fair),
    ];
    let v = unit_verdict(u);
    assert!(!v.mismatch);
    assert_eq!(v.grades.third_party, Some(Grade::Fair));
}

#[test]
fn a_unit_graded_good_by_itself_is_not_flagged_whatever_the_record() {
    let mut u = unit(7);
    u.grades = vec![grade(Subject::Unit, 7, Assessor::SelfGrade, Grade::Good)];
    u.completion.alert = true;
    u.contract_grades = vec![(
        1,
        grade(Subject::Contract, 107, Assessor::Community, Grade::Poor),
    )];
    let v = unit_verdict(u);
    assert!(!v.mismatch);
    assert_eq!(v.bars, vec![Bar::CompletionFlagged, Bar::PoorGrade]);
}

// ---- model communities ----

fn model_communities(communities: Vec<CommunityYear>, n: u32) -> Vec<i64> {
    let mut r = record(communities, Vec::new());
    r.settings.model_communities = n;
    assess(&r).model_communities
}

#[test]
fn communities_rank_by_completion_first() {
    let mut a = community(1);
    a.completion = Tally {
        done: 7,
        total: 10,
        alert: false,
    };
    let mut b = community(2);
    b.completion = Tally {
        done: 3,
        total: 4,
        alert: false,
    };
    // 3/4 = 75 % beats 7/10, even with worse participation.
    b.participation = Ratio::of(1, 100);
    assert_eq!(model_communities(vec![a, b], 10), vec![2, 1]);
}

#[test]
fn completion_ties_exactly_then_participation_decides() {
    let mut a = community(1);
    a.completion = Tally {
        done: 2,
        total: 3,
        alert: false,
    };
    a.participation = Ratio::of(80, 100);
    let mut b = community(2);
    b.completion = Tally {
        done: 4,
        total: 6,
        alert: false,
    };
    b.participation = Ratio::of(81, 100);
    assert_eq!(model_communities(vec![a, b], 10), vec![2, 1]);
}

#[test]
fn a_community_with_no_activities_ranks_after_one_with_some() {
    let mut a = community(1);
    a.participation = None;
    let mut b = community(2);
    b.participation = Ratio::of(0, 10); // 0 % but has activities
    assert_eq!(model_communities(vec![a, b], 10), vec![2, 1]);
}

#[test]
fn participation_ties_then_satisfaction_decides() {
    let mut a = community(1);
    a.participation = Ratio::of(1, 2);
    a.satisfaction = Ratio::of(85, 100);
    let mut b = community(2);
    b.participation = Ratio::of(50, 100);
    b.satisfaction = Ratio::of(9, 10);
    assert_eq!(model_communities(vec![a, b], 10), vec![2, 1]);
}

#[test]
fn a_community_with_no_surveys_ranks_after_one_with_some() {
    let mut a = community(1);
    a.satisfaction = None;
    let mut b = community(2);
    b.satisfaction = Ratio::of(80, 100);
    assert_eq!(model_communities(vec![a, b], 10), vec![2, 1]);
}

#[test]
fn everything_equal_the_lower_id_ranks_first() {
    let a = community(5);
    let b = community(3);
    let mut c = community(4);
    c.participation = None;
    c.satisfaction = None;
    let mut e = community(9);
    e.participation = None;
    e.satisfaction = None;
    assert_eq!(model_communities(vec![a, b, c, e], 10), vec![3, 5, 4, 9]);
}

#[test]
fn model_communities_name_only_the_first_n_and_none_when_n_is_0() {
    let all: Vec<CommunityYear> = (1..=4).map(community).collect();
    assert_eq!(model_communities(all.clone(), 2), vec![1, 2]);
    assert_eq!(model_communities(all.clone(), 0), Vec::<i64>::new());
    assert_eq!(model_communities(all, 10), vec![1, 2, 3, 4]);
}

/// A bar and the change to a record that should trip it.
type Tripped<T> = (Bar, fn(&mut T));

#[test]
#[allow(clippy::type_complexity)]
fn each_bar_keeps_a_community_off_the_list() {
    let bars: Vec<Tripped<CommunityYear>> = vec![
        (Bar::NoProjects, |c| {
            c.completion = Tally {
                done: 0,
                total: 0,
                alert: false,
            }
        }),
        (Bar::CompletionFlagged, |c| c.completion.alert = true),
        (Bar::ResourcesFlagged, |c| c.resources.alert = true),
        (Bar::Overdue, |c| c.overdue = vec![overdue(1, 1)]),
        (Bar::MissingQuarter, |c| {
            c.quarters[3] = QuarterState::Missing
        }),
        (Bar::SatisfactionFlagged, |c| c.satisfaction_alert = true),
        (Bar::PoorGrade, |c| {
            c.grades = vec![grade(
                Subject::Community,
                c.id,
                Assessor::SelfGrade,
                Grade::Poor,
            )]
        }),
    ];
    for (bar, spoil) in bars {
        let mut c = community(2);
        spoil(&mut c);
        let a = assess(&record(vec![community(1), c], Vec::new()));
        assert_eq!(a.model_communities, vec![1], "{bar:?}");
        assert_eq!(a.communities[1].bars, vec![bar]);
        assert_eq!(a.communities[1].rank, None);
        assert_eq!(a.communities[0].rank, Some(1));
    }
}

#[test]
fn a_fair_grade_does_not_bar_and_pending_or_future_quarters_do_not_either() {
    let mut c = community(1);
    c.grades = vec![grade(
        Subject::Community,
        1,
        Assessor::ThirdParty,
        Grade::Fair,
    )];
    c.quarters = [
        QuarterState::Held,
        QuarterState::Held,
        QuarterState::Pending,
        QuarterState::Future,
    ];
    assert_eq!(model_communities(vec![c], 10), vec![1]);
}

// ---- model units ----

fn model_units(units: Vec<UnitYear>, n: u32) -> Vec<i64> {
    let mut r = record(vec![community(1)], units);
    r.settings.model_units = n;
    assess(&r).model_units
}

#[test]
fn units_rank_by_completion_then_activities_then_minutes_then_id() {
    let mut a = unit(1);
    a.completion = Tally {
        done: 1,
        total: 2,
        alert: false,
    };
    a.activities = 50;
    let b = unit(2); // 2/2, 4 activities
    let mut c = unit(3); // 2/2, 5 activities
    c.activities = 5;
    let mut e = unit(4); // 2/2, 4 activities, more minutes than b
    e.minutes = 600;
    let mut f = unit(5); // 4/4 ties 2/2 exactly
    f.completion = Tally {
        done: 4,
        total: 4,
        alert: false,
    };
    let g = unit(0); // equal to b in everything: lower id first
    assert_eq!(
        model_units(vec![a, b, c, e, f, g], 20),
        vec![3, 4, 0, 2, 5, 1]
    );
}

#[test]
fn a_unit_with_no_contract_is_not_a_candidate() {
    let mut a = unit(1);
    a.contracts.clear();
    let v = assess(&record(vec![community(1)], vec![a.clone(), unit(2)]));
    assert_eq!(v.model_units, vec![2]);
    assert_eq!(v.units[0].bars, vec![Bar::NoContract]);
}

#[test]
#[allow(clippy::type_complexity)]
fn each_bar_keeps_a_unit_off_the_list() {
    let bars: Vec<Tripped<UnitYear>> = vec![
        (Bar::NoProjects, |u| {
            u.completion = Tally {
                done: 0,
                total: 0,
                alert: false,
            }
        }),
        (Bar::CompletionFlagged, |u| u.completion.alert = true),
        (Bar::Overdue, |u| {
            u.overdue = vec![PlacedOverdue {
                community_id: 2,
                community: "社区2".into(),
                project: overdue(1, 1),
            }]
        }),
        (Bar::Inactive, |u| {
            u.inactive_in = vec![InactiveIn {
                community_id: 1,
                community: "社区1".into(),
                activities: 0,
            }]
        }),
        (Bar::PoorGrade, |u| {
            u.grades = vec![grade(
                Subject::Unit,
                u.id,
                Assessor::ThirdParty,
                Grade::Poor,
            )]
        }),
        (Bar::PoorGrade, |u| {
            u.contract_grades = vec![(
                1,
                grade(Subject::Contract, 102, Assessor::Community, Grade::Poor),
            )]
        }),
    ];
    for (bar, spoil) in bars {
        let mut u = unit(2);
        spoil(&mut u);
        let a = assess(&record(vec![community(1)], vec![unit(1), u]));
        assert_eq!(a.model_units, vec![1], "{bar:?}");
        assert_eq!(a.units[1].bars, vec![bar]);
    }
}

#[test]
fn model_units_name_only_the_first_n_and_none_when_n_is_0() {
    let all: Vec<UnitYear> = (1..=3).map(unit).collect();
    assert_eq!(model_units(all.clone(), 1), vec![1]);
    assert_eq!(model_units(all.clone(), 0), Vec::<i64>::new());
    assert_eq!(model_units(all, 1000), vec![1, 2, 3]);
}

// ---- the record gathered from a district ----

fn project(id: i64, community_id: i64, unit_id: Option<i64>, due: &str, status: Status) -> Project {
    Project {
        id,
        community_id,
        unit_id,
        title: format!("项目{id}"),
        due_on: d(due),
        status,
        done_on: None,
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

/// Two communities, three units. Unit 10 leads 1 done of 1 in community 1 and 0 done of 2 in
/// community 2: 1/3 over all, flagged at 50 % though community 1 alone shows 100 %.
fn district() -> District {
    use Status::*;
    District {
        streets: vec![Street {
            id: 1,
            name: "西江街道".into(),
        }],
        communities: vec![
            Community {
                id: 1,
                street_id: 1,
                name: "石羊塘社区".into(),
            },
            Community {
                id: 2,
                street_id: 1,
                name: "港宁社区".into(),
            },
        ],
        units: [(10, "甲医院"), (11, "乙学校"), (12, "丙企业")]
            .into_iter()
            .map(|(id, name)| Unit {
                id,
                name: name.into(),
                kind: String::new(),
            })
            .collect(),
        contracts: vec![
            Contract {
                community_id: 1,
                unit_id: 10,
            },
            Contract {
                community_id: 1,
                unit_id: 11,
            },
        ],
        resources: Vec::new(),
        projects: vec![
            project(1, 1, Some(10), "2026-06-01", Done),
            project(2, 2, Some(10), "2026-12-31", Active),
            project(3, 2, Some(10), "2026-12-31", Paused),
            project(4, 1, Some(11), "2026-03-01", Done),
            project(5, 1, Some(11), "2026-02-01", Cancelled),
            project(6, 2, Some(12), "2026-12-30", Active), // overdue on 12-31
        ],
        activities: vec![
            activity(1, "2026-03-01", 10, 9),
            activity(1, "2026-04-01", 10, 7),
            activity(4, "2026-05-01", 20, 10),
            activity(5, "2026-05-02", 100, 100), // cancelled: counts for unit 11's activities only
            activity(2, "2026-07-01", 5, 5),
            activity(2, "2025-07-01", 5, 5), // last year
        ],
        meetings: vec![
            Meeting {
                community_id: 1,
                quarterly: true,
                held_on: d("2026-02-01"),
            },
            Meeting {
                community_id: 1,
                quarterly: true,
                held_on: d("2026-05-01"),
            },
            Meeting {
                community_id: 1,
                quarterly: true,
                held_on: d("2026-08-01"),
            },
            Meeting {
                community_id: 1,
                quarterly: false,
                held_on: d("2026-11-01"),
            },
        ],
        ..District::default()
    }
}

fn contracts() -> Vec<ContractRef> {
    vec![
        ContractRef {
            id: 501,
            community_id: 1,
            unit_id: 10,
        },
        ContractRef {
            id: 502,
            community_id: 1,
            unit_id: 11,
        },
    ]
}

fn gathered(today: &str, grades: &[GradeRow], service: &ServiceFigures) -> YearRecord {
    let district = district();
    let sums = super::super::session_sums(&district.activities, d(today));
    year_record(
        &district,
        &sums,
        &contracts(),
        grades,
        service,
        d(today),
        &Thresholds::default(),
    )
}

#[test]
fn q4_with_no_meeting_is_missing_on_the_last_day_of_the_year() {
    let r = gathered("2026-12-31", &[], &ServiceFigures::default());
    assert_eq!(
        r.communities[0].quarters,
        [
            QuarterState::Held,
            QuarterState::Held,
            QuarterState::Held,
            QuarterState::Missing
        ]
    );
    // The day before, Q4 is still pending: not missing.
    let r = gathered("2026-12-30", &[], &ServiceFigures::default());
    assert_eq!(r.communities[0].quarters[3], QuarterState::Pending);
    // Q1 is missing on its own last day too.
    let r = gathered("2026-03-31", &[], &ServiceFigures::default());
    assert_eq!(r.communities[1].quarters[0], QuarterState::Missing);
}

#[test]
fn a_unit_completion_is_over_all_communities() {
    let r = gathered("2026-12-31", &[], &ServiceFigures::default());
    let u10 = &r.units[0];
    assert_eq!((u10.completion.done, u10.completion.total), (1, 3));
    assert_eq!(
        u10.completion_by_community,
        vec![(1, "石羊塘社区".into(), 1, 1), (2, "港宁社区".into(), 0, 2)]
    );
    assert!(u10.completion.alert);
    assert_eq!(u10.contracts, vec![(501, 1)]);
    // 11: project 4 done; 5 cancelled is not counted.
    assert_eq!(
        (r.units[1].completion.done, r.units[1].completion.total),
        (1, 1)
    );
    // 12 leads project 6, overdue one day on 12-31, in a community it has no contract with.
    assert_eq!(r.units[2].overdue.len(), 1);
    assert_eq!(r.units[2].overdue[0].community_id, 2);
    assert_eq!(r.units[2].overdue[0].project.days_overdue, 1);
    assert!(r.units[2].contracts.is_empty());
}

#[test]
fn activities_and_participation_sums() {
    let r = gathered("2026-12-31", &[], &ServiceFigures::default());
    // 10: two sessions of project 1 plus one of project 2 this year.
    assert_eq!(r.units[0].activities, 3);
    // 11: project 4 and the cancelled project 5: activities count whatever the status.
    assert_eq!(r.units[1].activities, 2);
    // 11 has 2 activities in community 1: not inactive (min 2); 10 has 2 there too.
    assert!(r.units[0].inactive_in.is_empty());
    assert!(r.units[1].inactive_in.is_empty());
    // Community 1: projects 1 and 4 (5 is cancelled): (9+7+10)/(10+10+20) = 26/40.
    assert_eq!(r.communities[0].participation, Ratio::of(26, 40));
    // Community 2: project 2 this year only.
    assert_eq!(r.communities[1].participation, Ratio::of(5, 5));
    // On 04-15, unit 11 has no activity yet and is inactive in community 1.
    let r = gathered("2026-04-15", &[], &ServiceFigures::default());
    assert_eq!(r.units[1].inactive_in.len(), 1);
    assert_eq!(r.units[1].inactive_in[0].activities, 0);
}

#[test]
fn only_grades_of_the_year_with_a_real_subject_count() {
    let mut grades = vec![
        grade(Subject::Community, 1, Assessor::SelfGrade, Grade::Excellent),
        grade(Subject::Community, 99, Assessor::SelfGrade, Grade::Poor), // no community 99
        grade(Subject::Unit, 10, Assessor::SelfGrade, Grade::Excellent),
        grade(Subject::Contract, 502, Assessor::Community, Grade::Fair),
        grade(Subject::Contract, 999, Assessor::Community, Grade::Poor), // no such contract
    ];
    let mut old = grade(Subject::Community, 2, Assessor::SelfGrade, Grade::Excellent);
    old.year = 2025;
    grades.push(old);
    for (i, g) in grades.iter_mut().enumerate() {
        g.id = i as i64 + 1;
    }
    let r = gathered("2026-12-31", &grades, &ServiceFigures::default());
    assert_eq!(r.communities[0].grades.len(), 1);
    assert!(r.communities[1].grades.is_empty());
    assert_eq!(r.units[1].contract_grades.len(), 1);
    assert_eq!(r.units[1].contract_grades[0].0, 1);
    let a = assess(&r);
    // Community 1 graded itself excellent: Q4 is missing on 12-31.
    assert!(a.communities[0].mismatch);
    assert_eq!(
        a.communities[0].reasons,
        vec![Reason::MissingQuarters { quarters: vec![4] }]
    );
    // Unit 10 graded itself excellent: its completion over all communities is 1/3.
    assert!(a.units[0].mismatch);
    assert_eq!(
        a.units[0].reasons,
        vec![Reason::CompletionFlagged { done: 1, total: 3 }]
    );
    assert_eq!(
        a.units[1].grades.community,
        vec![ContractGrade {
            community_id: 1,
            grade: Grade::Fair
        }]
    );
    assert!(!a.units[1].mismatch);
}

#[test]
fn satisfaction_and_minutes_feed_the_ranking() {
    let mut service = ServiceFigures::default();
    service.satisfaction.insert(1, (70, 100));
    service.unit_minutes.insert(11, 90);
    let r = gathered("2026-12-31", &[], &service);
    assert_eq!(r.communities[0].satisfaction, Ratio::of(70, 100));
    assert!(r.communities[0].satisfaction_alert);
    assert_eq!(r.communities[1].satisfaction, None);
    assert!(!r.communities[1].satisfaction_alert);
    assert_eq!(r.units[1].minutes, 90);
    let a = assess(&r);
    // Community 1 misses Q4 and is flagged on satisfaction; community 2 has an overdue
    // project: neither is a model. Unit 11 (1/1 done, contract, 2 activities) is the only
    // model unit: 10 is flagged, 12 has no contract.
    assert!(a.model_communities.is_empty());
    assert_eq!(a.model_units, vec![11]);
    assert_eq!(a.units[1].rank, Some(1));
}
