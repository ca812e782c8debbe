//! A layout's paths held against the data's shape, before any data is
//! read: every `{path}`, `each`, `when`, group and legend must name fields
//! the shape declares, every list index must stand after a list, and every
//! column's scope must be a group of each table the column is drawn in.
//! What this finds would otherwise print as empty cells or vanished rows.

use crate::diag::Problem;
use crate::lang::tr;
use crate::layout::template::{Segment, Template};
use crate::layout::{Block, BodySpec, CellKind, Layout, LoadedLayout, each_path};
use crate::shape::{Field, Kind, Node, Shape};
use std::collections::HashMap;

/// The variables templates may name besides bindings and data fields.
pub const VARIABLES: [&str; 11] = [
    "report_year",
    "next_year",
    "first_year",
    "last_year",
    "year",
    "page",
    "pages",
    "item",
    "index",
    "value",
    "meaning",
];

/// Every problem of `layout`'s paths against `shape`, with the layout's
/// JSON path.
///
/// ```
/// let layout = shiryo::layout::bundled("shiryo2-dai5ki").unwrap();
/// let shape = shiryo::shape::bundled("progress-survey").unwrap();
/// assert!(shiryo::check::paths::check(&layout, &shape).is_empty());
/// ```
pub fn check(layout: &LoadedLayout, shape: &Shape) -> Vec<Problem> {
    let mut c = Checker {
        shape,
        layout,
        bindings: HashMap::new(),
        problems: Vec::new(),
    };
    let l = &layout.layout;
    let root = Node::Object(shape.fields.clone());
    c.bindings.insert("row".into(), Vec::new());
    // Bind every group and `each` name to the shape of its items first.
    if let Some(b) = &l.body {
        c.bind_groups(b, "body", &root);
    }
    if let Some(bs) = &l.blocks {
        c.bind_blocks(bs, "blocks", &root);
    }
    for (place, t) in crate::layout::templates(l) {
        c.template(&place, &t);
    }
    c.columns(l);
    c.problems
}

/// Walks the layout beside the shape.
struct Checker<'a> {
    /// The data's shape.
    shape: &'a Shape,
    /// The layout, for problems.
    layout: &'a LoadedLayout,
    /// What each binding name may stand for (a group bound at several
    /// levels, `row` at every innermost level).
    bindings: HashMap<String, Vec<Node>>,
    /// What was found.
    problems: Vec<Problem>,
}

/// Where a path has got to.
enum At {
    /// Somewhere the shape does not describe further (a variable, a map
    /// key): nothing more to check.
    Any,
    /// A declared node.
    Node(Node),
}

fn field_names(fields: &[Field]) -> String {
    fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
}

impl Checker<'_> {
    fn push(&mut self, place: &str, msg: String) {
        self.problems.push(Problem::new(&self.layout.path, place, msg));
    }

    /// The items of the list a group or `each` path names, from `base`
    /// (the enclosing item) or a binding or the top level.
    fn list_items(&mut self, path: &str, base: &Node, place: &str) -> Option<Node> {
        let Some(t) = each_path(path) else {
            self.push(
                place,
                tr!(
                    "expected a path such as \"group.lines\", found {found}",
                    found = format!("{path:?}")
                ),
            );
            return None;
        };
        let expr = t.exprs().next()?.path.clone();
        // A group's `each` is a field of the enclosing item, or a path from
        // a binding or the top level.
        let at = match (&expr[..], base) {
            ([Segment::Field(f)], Node::Object(fields)) if !self.bindings.contains_key(f) => {
                match fields.iter().find(|x| x.name == *f) {
                    Some(x) => At::Node(x.node.clone()),
                    None => {
                        self.push(
                            place,
                            tr!(
                                "{name} names no field of the enclosing items (fields: {fields}), so the group would have no rows",
                                name = format!("{f:?}"),
                                fields = field_names(fields)
                            ),
                        );
                        return None;
                    }
                }
            }
            _ => self.walk(&expr, place, path)?,
        };
        match at {
            At::Any => None,
            At::Node(Node::List { item, .. }) => Some(*item),
            At::Node(other) => {
                self.push(
                    place,
                    tr!(
                        "{path} is {what}, not a list",
                        path = format!("{path:?}"),
                        what = describe(&other)
                    ),
                );
                None
            }
        }
    }

    fn bind(&mut self, name: &str, node: Node) {
        self.bindings.entry(name.to_string()).or_default().push(node);
    }

    fn bind_groups(&mut self, b: &BodySpec, place: &str, root: &Node) {
        let mut base = root.clone();
        let last = b.groups.len().saturating_sub(1);
        for (i, g) in b.groups.iter().enumerate() {
            let at = format!("{place}.groups[{i}].each");
            let Some(item) = self.list_items(&g.each, &base, &at) else {
                // Said once: the names of this level and below check nothing more.
                for g in &b.groups[i..] {
                    self.bindings.entry(g.name.clone()).or_default();
                }
                self.bindings.insert("row".into(), Vec::new());
                return;
            };
            self.bind(&g.name, item.clone());
            // A row is the innermost item reached: any level may end a row.
            if i == last || matches!(item, Node::Object(_)) {
                self.bind("row", item.clone());
            }
            base = item;
        }
    }

    fn bind_blocks(&mut self, bs: &[Block], place: &str, root: &Node) {
        for (i, b) in bs.iter().enumerate() {
            match b {
                Block::Table(t) => self.bind_groups(t, &format!("{place}[{i}].table"), root),
                Block::Each(e) => {
                    let at = format!("{place}[{i}].each.each");
                    if let Some(item) = self.list_items(&e.each, root, &at) {
                        self.bind(&e.name, item);
                    }
                    self.bind_blocks(&e.blocks, &format!("{place}[{i}].each.blocks"), root);
                }
                Block::Legend(lg) => {
                    let keys: Vec<&str> = lg.field.split('.').collect();
                    match self.shape.field(&keys).map(|f| &f.node) {
                        Some(Node::Enum { .. }) => {}
                        Some(other) => {
                            let d = describe(other);
                            self.push(
                                &format!("{place}[{i}].legend.field"),
                                tr!(
                                    "{field} is {what}; a legend needs an enum field",
                                    field = format!("{:?}", lg.field),
                                    what = d
                                ),
                            )
                        }
                        None => self.push(
                            &format!("{place}[{i}].legend.field"),
                            tr!(
                                "the shape {shape} declares no field {field} (a path of field names through lists and objects)",
                                shape = self.shape.name,
                                field = format!("{:?}", lg.field)
                            ),
                        ),
                    }
                }
                Block::Heading(_) | Block::Paragraphs(_) | Block::PageBreak(_) => {}
            }
        }
    }

    /// Checks every substitution of a template.
    fn template(&mut self, place: &str, t: &Template) {
        for e in t.exprs() {
            self.walk(&e.path, place, &format!("{{{}}}", path_text(&e.path)));
        }
    }

    /// Follows a path through the shape; reports where it leaves it.
    fn walk(&mut self, path: &[Segment], place: &str, shown: &str) -> Option<At> {
        let (Segment::Field(first), rest) = path.split_first()? else {
            return Some(At::Any);
        };
        let starts: Vec<Node> = if let Some(nodes) = self.bindings.get(first) {
            if nodes.is_empty() {
                return Some(At::Any);
            }
            nodes.clone()
        } else if VARIABLES.contains(&first.as_str())
            || first == "layout"
            || first
                .strip_suffix("_index")
                .is_some_and(|g| self.bindings.contains_key(g))
        {
            return Some(At::Any);
        } else if let Some(f) = self.shape.fields.iter().find(|f| f.name == *first) {
            vec![f.node.clone()]
        } else {
            let mut names: Vec<&str> = self.bindings.keys().map(String::as_str).collect();
            names.sort_unstable();
            self.push(
                place,
                tr!(
                    "{path} names nothing: expected a group name ({groups}), a variable ({variables}) \
                     or a top-level field of the shape {shape} ({fields})",
                    path = shown,
                    groups = names.join(", "),
                    variables = VARIABLES.join(", "),
                    shape = self.shape.name,
                    fields = field_names(&self.shape.fields)
                ),
            );
            return None;
        };
        // A name bound at several levels: the path must hold at one of them.
        let mut first_error = None;
        for start in starts {
            match step_all(start, rest) {
                Ok(at) => return Some(at),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some((prefix, msg)) = first_error {
            let prefix = if prefix.is_empty() {
                first.clone()
            } else {
                format!("{first}.{prefix}")
            };
            self.push(
                place,
                tr!(
                    "{path}: after {prefix}: {problem}",
                    path = shown,
                    prefix = prefix,
                    problem = msg
                ),
            );
        }
        None
    }

    /// Scopes and `span_if_absent` name a group of every table the column
    /// is drawn in.
    fn columns(&mut self, l: &Layout) {
        let tables = crate::layout::bodies(l);
        for (i, c) in l.columns.iter().enumerate() {
            for (what, name) in [("scope", &c.scope), ("span_if_absent", &c.span_if_absent)] {
                let Some(name) = name else { continue };
                for (place, b) in &tables {
                    if !b.groups.iter().any(|g| g.name == *name) {
                        let names: Vec<&str> = b.groups.iter().map(|g| g.name.as_str()).collect();
                        self.push(
                            &format!("columns[{i}].{what}"),
                            tr!(
                                "{name} is not a group of the table at {place} ({groups}): its cells could not merge there",
                                name = format!("{name:?}"),
                                place = place,
                                groups = names.join(", ")
                            ),
                        );
                    }
                }
            }
            if let Some(path) = &c.span_if_missing
                && let Some(t) = each_path(path)
                && let Some(e) = t.exprs().next()
            {
                self.walk(
                    &e.path,
                    &format!("columns[{i}].span_if_missing"),
                    &format!("{{{path}}}"),
                );
            }
            let series = match &c.content {
                CellKind::YearValue(s) => Some((&s.series, Kind::YearSeries)),
                CellKind::Target(s) => Some((&s.value, Kind::Target)),
                CellKind::Quantity(s) => Some((&s.value, Kind::Quantity)),
                // Its lines are among the layout's templates.
                CellKind::Text(_) => None,
            };
            if let Some((path, kind)) = series {
                let place = format!("columns[{i}].content");
                if let Some(t) = each_path(path)
                    && let Some(e) = t.exprs().next()
                    && let Some(At::Node(n)) = self.walk(&e.path, &place, &format!("{{{path}}}"))
                    && n != Node::Kind(kind)
                {
                    self.push(
                        &place,
                        tr!(
                            "{path} is {what}; this cell kind reads a {kind} field",
                            path = format!("{path:?}"),
                            what = describe(&n),
                            kind = kind.name()
                        ),
                    );
                }
            }
        }
    }
}

/// Steps through `rest` from `node`: the node reached, or where and why the
/// path leaves the shape.
fn step_all(mut node: Node, rest: &[Segment]) -> Result<At, (String, String)> {
    let mut done: Vec<String> = Vec::new();
    for seg in rest {
        let key = match seg {
            Segment::Field(f) => Some(f.as_str()),
            Segment::Var(_) => None,
        };
        let is_index = key.is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
        let next = match (&node, key) {
            (Node::Object(fields), Some(k)) => match fields.iter().find(|f| f.name == k) {
                Some(f) => At::Node(f.node.clone()),
                None => {
                    return Err((
                        done.join("."),
                        tr!(
                            "no field {key} is declared here (fields: {fields})",
                            key = format!("{k:?}"),
                            fields = field_names(fields)
                        ),
                    ));
                }
            },
            (Node::Object(_), None) => At::Any,
            (Node::List { item, .. }, _) if key.is_none() || is_index => At::Node((**item).clone()),
            (Node::List { .. }, Some(k)) => {
                return Err((
                    done.join("."),
                    tr!(
                        "a list: expected an index such as 0 before {key}",
                        key = format!("{k:?}")
                    ),
                ));
            }
            (Node::ByYear(item), _) if key.is_none() || is_index => At::Node((**item).clone()),
            (Node::ByYear(_), Some(k)) => {
                return Err((
                    done.join("."),
                    tr!(
                        "keyed by fiscal year: expected a year or [report_year] before {key}",
                        key = format!("{k:?}")
                    ),
                ));
            }
            (Node::Kind(Kind::YearSeries), _) => At::Any,
            (Node::Kind(Kind::Target), Some("value" | "qualifier")) => At::Any,
            (Node::Kind(Kind::Quantity), Some("value" | "unit")) => At::Any,
            (Node::Kind(Kind::Editions), _) if key.is_none() || is_index => At::Any,
            (n, k) => {
                return Err((
                    done.join("."),
                    tr!(
                        "{what} has no field {key}",
                        what = describe(n),
                        key = format!("{:?}", k.unwrap_or("[…]"))
                    ),
                ));
            }
        };
        done.push(key.unwrap_or("[…]").to_string());
        match next {
            At::Any => return Ok(At::Any),
            At::Node(n) => node = n,
        }
    }
    Ok(At::Node(node))
}

/// What a node is, for messages.
fn describe(n: &Node) -> String {
    match n {
        Node::Kind(k) => tr!("a {kind} value", kind = k.name()),
        Node::List { .. } => tr!("a list"),
        Node::Object(_) => tr!("an object"),
        Node::ByYear(_) => tr!("an object keyed by fiscal year"),
        Node::Enum { .. } => tr!("an enum value"),
    }
}

fn path_text(path: &[Segment]) -> String {
    let mut s = String::new();
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Segment::Field(f) => {
                if i > 0 {
                    s.push('.');
                }
                s.push_str(f);
            }
            Segment::Var(v) => {
                s.push('[');
                s.push_str(v);
                s.push(']');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(layout_json: &str) -> Vec<String> {
        let l = crate::layout::parse(std::path::Path::new("l.json"), layout_json).unwrap();
        let shape = crate::shape::bundled("business-plan").unwrap();
        check(&l, &shape).iter().map(|p| p.to_string()).collect()
    }

    fn layout(body: &str, column: &str) -> String {
        format!(
            r#"{{"name": "t", "description": "d", "shape": "business-plan",
                "page": {{"size": "A4", "margins_mm": {{"top": 10, "bottom": 10, "left": 10, "right": 10}}}},
                "font": {{"family": "BIZ UDGothic", "size": 9}},
                "body": {body},
                "columns": [{column}]}}"#
        )
    }

    const BODY: &str = r#"{"groups": [{"each": "divisions", "as": "division"}, {"each": "units", "as": "unit"}]}"#;

    #[test]
    fn declared_paths_pass() {
        let p = problems(&layout(
            BODY,
            r#"{"id": "a", "width_mm": 50, "scope": "division", "content": {"text": ["{division.name}", "{unit.sections.0.items.1.subitems.2.content}", {"when": "!unit.name", "text": "-"}]}}"#,
        ));
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn a_typo_after_a_list_index_is_named() {
        let p = problems(&layout(
            BODY,
            r#"{"id": "a", "width_mm": 50, "content": {"text": ["{unit.sections.4.contnet}"]}}"#,
        ));
        assert!(
            p[0].contains("columns[0].content.text[0]") && p[0].contains("no field \"contnet\""),
            "{p:?}"
        );
    }

    #[test]
    fn a_group_that_matches_nothing_is_named() {
        let p = problems(&layout(
            r#"{"groups": [{"each": "divisions", "as": "division"}, {"each": "unit", "as": "unit"}]}"#,
            r#"{"id": "a", "width_mm": 50, "content": {"text": ["{division.name}"]}}"#,
        ));
        assert!(
            p.iter()
                .any(|x| x.contains("body.groups[1].each") && x.contains("\"unit\" names no field")),
            "{p:?}"
        );
        // Said once: nothing about the names below the group.
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn an_index_where_a_field_is_expected_and_a_field_after_a_list() {
        let p = problems(&layout(
            BODY,
            r#"{"id": "a", "width_mm": 50, "content": {"text": ["{unit.sections.name}", "{when}", {"when": "unit.nam", "text": "x"}]}}"#,
        ));
        assert!(p.iter().any(|x| x.contains("expected an index")), "{p:?}");
        assert!(p.iter().any(|x| x.contains("{when} names nothing")), "{p:?}");
        assert!(p.iter().any(|x| x.contains(".when") && x.contains("\"nam\"")), "{p:?}");
    }
}
