//! The layering of ARCHITECTURE.md, checked on the source: a module may use the modules of its
//! own layer and of the layers below it, never one above, and the module graph has no cycle.
//! Test code (`tests.rs`, `tests_*.rs`, a trailing `#[cfg(test)] mod …`) may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. Every top-level module of `src/` must be in exactly one layer.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "words and plain values",
        &["i18n", "text", "dates", "vocab"],
    ),
    (
        "errors, files, input fields, the model",
        &["error", "files", "fields", "model"],
    ),
    ("the figures (pure)", &["indicators"]),
    ("the store", &["store"]),
    ("the report", &["report"]),
    ("adjustments and their log", &["adjust"]),
    (
        "review, spreadsheets, generator",
        &["review", "spreadsheet", "generate"],
    ),
    ("the run context", &["context"]),
    ("the dashboard", &["dashboard"]),
    ("the command line", &["cli"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

/// The source with comments, string literals and test code taken out.
fn code_only(path: &Path, text: &str) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "tests.rs"
        || name.starts_with("tests_")
        || path.components().any(|c| c.as_os_str() == "tests")
    {
        return String::new();
    }
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            // A test module: skip it to its closing brace at the same indentation.
            let Some(open) = lines.next() else { break };
            if !open.trim_end().ends_with(';') {
                let indent = open.len() - open.trim_start().len();
                for inner in lines.by_ref() {
                    let inner_indent = inner.len() - inner.trim_start().len();
                    if inner.trim() == "}" && inner_indent == indent {
                        break;
                    }
                }
            }
            continue;
        }
        out.push_str(strip_line(line).as_str());
        out.push('\n');
    }
    out
}

/// One line without its `//` comment and without the contents of its string literals.
fn strip_line(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    in_string = false;
                    out.push('"');
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push('"');
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

/// The top-level modules that `code` names through `crate::…` (single paths and `{…}` groups).
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `$crate::`, `other_crate::`, `a::crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The first path segment of each top-level item of the group.
            let mut depth = 0;
            let mut item_start = true;
            let mut word = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        item_start = true;
                        continue;
                    }
                    _ => {}
                }
                if item_start {
                    if c.is_alphanumeric() || c == '_' {
                        word.push(c);
                        continue;
                    }
                    if !word.is_empty() {
                        used.insert(std::mem::take(&mut word));
                        item_start = false;
                    }
                }
            }
            if !word.is_empty() {
                used.insert(word);
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !word.is_empty() {
                used.insert(word);
            }
        }
    }
    used
}

/// For each top-level module, the other top-level modules it uses.
fn graph(files: &[(PathBuf, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in files {
        let Some(first) = path.components().next() else {
            continue;
        };
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let entry = graph.entry(module.clone()).or_default();
        for used in used_modules(&code_only(path, text)) {
            if used != module && used != "self" && used != "super" {
                entry.insert(used);
            }
        }
    }
    graph
}

/// Every use of a module in a higher layer, every module without a layer, every cycle.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let graph = graph(files);
    let mut found = Vec::new();
    for (module, uses) in &graph {
        let Some(own) = layer_of(module) else {
            found.push(format!(
                "module `{module}` has no layer in ARCHITECTURE.md / tests/layering.rs"
            ));
            continue;
        };
        for used in uses {
            match layer_of(used) {
                Some(layer) if layer > own => found.push(format!(
                    "`{module}` ({}) uses `{used}` ({}), a layer above it",
                    LAYERS[own].0, LAYERS[layer].0
                )),
                _ => {}
            }
        }
    }
    // Cycles (possible only within a layer): depth-first search.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == node) {
            found.push(format!("cycle: {} -> {node}", path[at..].join(" -> ")));
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if graph.contains_key(next) {
                visit(next, graph, path, done, found);
            }
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn sources(root: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read source");
                let relative = path.strip_prefix(root).expect("under src").to_path_buf();
                files.push((relative, text));
            }
        }
    }
    files
}

#[test]
fn modules_only_use_their_own_layer_and_the_layers_below() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = sources(&root);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let graph = graph(&files);
    for module in ["store", "dashboard", "cli", "adjust", "indicators"] {
        assert!(graph.contains_key(module), "module {module} not found");
    }
    let found = violations(&files);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_an_upward_use_a_cycle_and_a_module_without_a_layer() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    // Fine: a use downwards, in a group, and upward uses only in comments, strings and tests.
    let fine = vec![
        file("dashboard/app.rs", "use crate::{store::Store, report};\n"),
        file(
            "store/mod.rs",
            "// see crate::cli\nconst A: &str = \"crate::cli\";\n#[cfg(test)]\nmod tests {\n    use crate::cli::Context;\n}\n",
        ),
        file("store/tests.rs", "use crate::generate::Spec;\n"),
    ];
    assert_eq!(violations(&fine), Vec::<String>::new());
    // An upward use, as a path and inside a group.
    let upward = vec![file("store/read.rs", "fn f() { crate::cli::run(); }\n")];
    assert_eq!(violations(&upward).len(), 1, "{:?}", violations(&upward));
    let grouped = vec![file(
        "report/mod.rs",
        "use crate::{model::Report, dashboard::{App, Screen}};\n",
    )];
    assert_eq!(violations(&grouped).len(), 1, "{:?}", violations(&grouped));
    // A cycle within a layer.
    let cycle = vec![
        file("review/mod.rs", "use crate::spreadsheet::x;\n"),
        file("spreadsheet/mod.rs", "use crate::review::y;\n"),
    ];
    assert!(violations(&cycle).iter().any(|v| v.starts_with("cycle")));
    // A new module nobody placed.
    let stray = vec![file("postgres/mod.rs", "use crate::store::Store;\n")];
    assert_eq!(violations(&stray).len(), 1);
}
