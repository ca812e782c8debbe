//! The tagged PDF, as `pdfinfo -struct-text` shows it to a screen reader:
//! tables with header and data cells and their spans, headings and
//! paragraphs, every cell's text exactly once and in the grid's order, the
//! page furniture (footers, header rows and labels printed again) left out.

mod common;

use common::*;
use shiryo::table::{Grid, RowRole};
use std::path::{Path, PathBuf};

/// A structure element as `pdfinfo -struct-text` prints it.
#[derive(Debug, Default)]
struct Node {
    /// Its type (`Table`, `TR`, `TH`, `H1`, …).
    kind: String,
    /// Its id, where it has one.
    id: Option<String>,
    /// Its attributes (`Scope`, `RowSpan`, …) with their values as printed.
    attrs: Vec<(String, String)>,
    /// Its own text.
    text: String,
    /// Its child elements.
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// This element and all below it, in document order.
    fn all(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.all());
        }
        out
    }

    /// All text at and below this element, in order.
    fn all_text(&self) -> String {
        self.all().iter().map(|n| n.text.as_str()).collect()
    }
}

/// Parses `pdfinfo -struct-text`: each element on a line of its own,
/// indented by its depth, its attributes (`/Scope /Column`) and its text
/// (`"…"`) on indented lines below it.
fn parse(out: &str) -> Node {
    let mut stack: Vec<(usize, Node)> = vec![(0, Node::default())];
    for line in out.lines().filter(|l| !l.trim().is_empty()) {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if let Some(text) = t.strip_prefix('"') {
            let top = &mut stack.last_mut().unwrap().1;
            top.text.push_str(text.strip_suffix('"').unwrap_or(text));
            continue;
        }
        if let Some(attr) = t.strip_prefix('/') {
            let (name, value) = attr.split_once(' ').unwrap_or((attr, ""));
            let top = &mut stack.last_mut().unwrap().1;
            top.attrs
                .push((name.to_string(), value.trim_start_matches('/').to_string()));
            continue;
        }
        while stack.len() > 1 && stack.last().unwrap().0 >= indent {
            let (_, done) = stack.pop().unwrap();
            stack.last_mut().unwrap().1.children.push(done);
        }
        let kind = t.split([' ', ':']).next().unwrap().to_string();
        let id = t
            .split_once(" <")
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(id, _)| id.to_string());
        stack.push((
            indent + 1,
            Node {
                kind,
                id,
                ..Node::default()
            },
        ));
    }
    while stack.len() > 1 {
        let (_, done) = stack.pop().unwrap();
        stack.last_mut().unwrap().1.children.push(done);
    }
    stack.pop().unwrap().1
}

/// Renders an edition's PDF in `dir` (tagged unless told otherwise);
/// returns the PDF and the edition's grid.
fn render(dir: &Path, data: &Path, layout: Option<&Path>, extra: &[&str]) -> (PathBuf, Grid) {
    std::fs::create_dir_all(dir).unwrap();
    let out = dir.join("out");
    let mut args = vec![
        "render",
        "--format",
        "pdf",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if let Some(l) = layout {
        args.extend(["--layout", l.to_str().unwrap()]);
    }
    args.extend(extra);
    let pdf = shiryo_ok(dir, &args).remove(0);
    let edition = shiryo::edition::Edition::load(&shiryo::edition::Inputs {
        data: Some(data.to_path_buf()),
        layout: layout.map(Path::to_path_buf),
        year: None,
    })
    .unwrap();
    let grid = shiryo::render::prepare(&edition).unwrap().grid;
    (pdf, grid)
}

/// The structure tree of a PDF.
fn tree(pdf: &Path) -> Node {
    let out = run("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]);
    let doc = parse(&out);
    assert_eq!(doc.children.len(), 1, "one Document element: {out}");
    doc.children.into_iter().next().unwrap()
}

/// The header rows of tables (the single table's, or a document table's).
fn is_header(grid: &Grid, r: usize) -> bool {
    r < grid.header_rows || grid.rows[r].table_header
}

/// Checks the structure tree of a bundled edition's PDF against its grid;
/// returns the tree, the grid and the PDF's text as printed.
fn check_edition(data: &str) -> (Node, Grid, String) {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, grid) = render(dir.path(), &root().join(data), None, &[]);
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{data}: {info}");
    let doc = tree(&pdf);
    assert_eq!(doc.kind, "Document");
    let nodes = doc.all();

    // Every cell of a table row is a TH or TD of a TR of a Table, in the
    // grid's order, with the grid's spans.
    let cells: Vec<&Node> = nodes
        .iter()
        .filter(|n| n.kind == "TH" || n.kind == "TD")
        .copied()
        .collect();
    let table_cells: Vec<usize> = (0..grid.cells.len())
        .filter(|&i| grid.rows[grid.cells[i].row].role == RowRole::Table)
        .collect();
    assert_eq!(cells.len(), table_cells.len(), "{data}: one element per cell");
    let rows: usize = nodes.iter().filter(|n| n.kind == "TR").count();
    let table_rows = grid.rows.iter().filter(|r| r.role == RowRole::Table).count();
    assert_eq!(
        rows, table_rows,
        "{data}: one TR per grid row, split across pages or not"
    );
    for tr in nodes.iter().filter(|n| n.kind == "TR") {
        assert!(tr.children.iter().all(|c| c.kind == "TH" || c.kind == "TD"), "{tr:?}");
    }
    for table in nodes.iter().filter(|n| n.kind == "Table") {
        assert!(table.children.iter().all(|c| c.kind == "TR"), "{data}");
    }
    for (node, &i) in cells.iter().zip(&table_cells) {
        let c = &grid.cells[i];
        let at = format!("{data}: cell at row {} column {}", c.row, c.col);
        assert_eq!(strip(&node.text), strip(&c.joined()), "{at}");
        let span = |n: usize| (n > 1).then(|| n.to_string());
        assert_eq!(node.attr("RowSpan").map(str::to_string), span(c.rowspan), "{at}");
        assert_eq!(node.attr("ColSpan").map(str::to_string), span(c.colspan), "{at}");
        if is_header(&grid, c.row) {
            assert_eq!((node.kind.as_str(), node.attr("Scope")), ("TH", Some("Column")), "{at}");
        } else if c.repeat {
            assert_eq!((node.kind.as_str(), node.attr("Scope")), ("TH", Some("Row")), "{at}");
        }
    }

    // Everything read, in order: titles that head what follows them, then
    // every cell of every row once; nothing of the page furniture.
    let mut expected = String::new();
    if let Some(t) = &grid.title {
        expected.push_str(&t.left);
        expected.push_str(&t.right);
    }
    let mut titles = std::collections::BTreeSet::new();
    for (r, row) in grid.rows.iter().enumerate() {
        if let Some(t) = row.title
            && grid.titles[t].heads
            && titles.insert(t)
        {
            expected.push_str(&grid.titles[t].left);
            expected.push_str(&grid.titles[t].right);
        }
        for c in grid.cells.iter().filter(|c| c.row == r) {
            expected.push_str(&c.joined());
        }
    }
    assert_eq!(strip(&doc.all_text()), strip(&expected), "{data}: the text read");
    (doc, grid, strip(&pdf_text(&pdf, None)))
}

#[test]
fn the_example_is_a_table_with_every_indicator_in_a_cell_once() {
    let (doc, grid, _) = check_edition("data/dai5ki.json");
    let nodes = doc.all();
    assert_eq!(nodes[1].kind, "H1", "the title first");
    let cells: Vec<String> = nodes
        .iter()
        .filter(|n| n.kind == "TH" || n.kind == "TD")
        .map(|n| strip(&n.text))
        .collect();
    for (name, texts) in example_indicators(2024) {
        let name = strip(&name);
        assert_eq!(cells.iter().filter(|c| **c == name).count(), 1, "{name}");
        for t in texts {
            assert!(cells.iter().any(|c| c.contains(&strip(&t))), "{t} of {name}");
        }
    }
    // The header over two columns (項目): the cells under it name it, and a
    // cell of its second column also names the row header left of it.
    let spanning = nodes
        .iter()
        .find(|n| n.kind == "TH" && n.attr("ColSpan") == Some("2") && n.attr("Scope") == Some("Column"))
        .expect("a header cell over two columns");
    let id = spanning.id.as_deref().expect("it has an id");
    let first = grid.cells.iter().find(|c| c.row == 0 && c.colspan == 2).unwrap().col;
    let table_cells: Vec<(&shiryo::table::Cell, &&Node)> = grid
        .cells
        .iter()
        .zip(nodes.iter().filter(|n| n.kind == "TH" || n.kind == "TD"))
        .collect();
    let mut second = 0;
    for (c, node) in &table_cells {
        if c.row == 0 || !(first..first + 2).contains(&c.col) {
            assert_eq!(node.attr("Headers"), None, "{c:?}");
            continue;
        }
        let headers = node
            .attr("Headers")
            .unwrap_or_else(|| panic!("{c:?} names its headers"));
        assert!(headers.starts_with(&format!("[({id})")), "{headers}");
        if c.col == first + 1 {
            second += 1;
            let (_, label) = table_cells
                .iter()
                .find(|(l, _)| l.col == first && (l.row..l.row + l.rowspan).contains(&c.row))
                .unwrap();
            let label_id = label.id.as_deref().expect("the row header has an id");
            assert_eq!(headers, format!("[({id}) ({label_id})]"));
            assert_eq!(node.kind, "TH", "{c:?} heads its row");
        }
    }
    assert!(second > 0, "some rows use the second column");
}

#[test]
fn the_other_editions_are_tagged_with_every_cell_once() {
    check_edition("data/dai4ki.json");
}

#[test]
fn a_document_has_headings_paragraphs_and_tables() {
    let (doc, ..) = check_edition("data/jigyo-keikaku-r2.json");
    let kinds: Vec<&str> = doc.children.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(&kinds[..3], ["H1", "H2", "P"], "{kinds:?}");
    for k in ["H3", "Table"] {
        assert!(kinds.contains(&k), "{k}: {kinds:?}");
    }
    assert!(
        kinds.iter().all(|k| ["H1", "H2", "H3", "P", "Table"].contains(k)),
        "{kinds:?}"
    );
    // Each paragraph of a block is a paragraph of its own.
    assert!(kinds.iter().filter(|k| **k == "P").count() > 100, "{kinds:?}");
}

#[test]
fn labels_printed_again_after_a_page_break_are_read_once() {
    // The evaluation sheet prints its labels again with （続き）: read once,
    // without the mark.
    let (doc, _, printed) = check_edition("data/hyoka-r6.json");
    assert!(printed.contains("（続き）"), "labels are printed again");
    assert!(!strip(&doc.all_text()).contains("（続き）"));

    // The example four times: goals continued on a new page.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("x4.json");
    std::fs::write(&data, serde_json::to_string(&scaled_plan(4)).unwrap()).unwrap();
    let layout = root().join("layouts/shiryo2-dai5ki.json");
    let (pdf, grid) = render(dir.path(), &data, Some(&layout), &[]);
    let doc = tree(&pdf);
    let nodes = doc.all();
    let printed = strip(&pdf_text(&pdf, None));
    let mut again = 0;
    for c in grid.body_cells().map(|(_, c)| c).filter(|c| c.repeat && c.col == 0) {
        let label = strip(&c.joined());
        let read: Vec<&&Node> = nodes.iter().filter(|n| strip(&n.text) == label).collect();
        assert_eq!(read.len(), 1, "{label}");
        assert_eq!(read[0].kind, "TH");
        again += printed.matches(&label).count() - 1;
    }
    assert!(again > 0, "some label is printed again");
}

#[test]
fn readers_get_the_language_the_title_and_pdf_ua() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = render(dir.path(), &root().join("data/dai5ki.json"), None, &[]);
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<pdfuaid:part>1</pdfuaid:part>"), "PDF/UA-1 in the XMP");
    run("qpdf", &["--check", pdf.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&run("qpdf", &["--json", pdf.to_str().unwrap()])).unwrap();
    let objects = &json["qpdf"][1];
    let root_ref = objects["trailer"]["value"]["/Root"].as_str().unwrap();
    let catalog = &objects[format!("obj:{root_ref}")]["value"];
    assert_eq!(catalog["/Lang"], "u:ja", "{catalog}");
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true, "{catalog}");
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true, "{catalog}");
    let doc = tree(&pdf);
    let h1 = &doc.children[0];
    assert_eq!(strip(&h1.text), "第５期西東京市地域福祉計画進捗状況調査票");
}

#[test]
fn no_tags_writes_a_smaller_untagged_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data/dai5ki.json");
    let (tagged, _) = render(&dir.path().join("a"), &data, None, &[]);
    let (plain, _) = render(&dir.path().join("b"), &data, None, &["--no-tags"]);
    let info = run("pdfinfo", &[plain.to_str().unwrap()]);
    assert!(info.contains("Tagged:          no"), "{info}");
    let bytes = std::fs::read(&plain).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("pdfuaid"));
    let (a, b) = (std::fs::metadata(&tagged).unwrap().len(), bytes.len() as u64);
    assert!(b < a, "untagged {b} bytes, tagged {a}");
    assert!(a * 10 <= b * 12, "the tags cost at most a fifth: {a} / {b}");
    assert_eq!(strip(&pdf_text(&tagged, None)), strip(&pdf_text(&plain, None)));
}
