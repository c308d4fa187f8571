//! Every function exported to C runs inside `ffi_boundary!`, so no panic
//! ever unwinds into C (it becomes the function's documented failure
//! value). Checked on the source of `src/ffi/`: an exported function's body
//! must start with `ffi_boundary!`, or be one call to a function whose body
//! does (a shared helper such as `set_callback`, or another exported
//! function).

use std::collections::BTreeMap;
use std::path::Path;

/// A function found in the source: whether it is exported, and its body.
struct Function {
    exported: bool,
    file: String,
    body: String,
}

/// Text with `//` comments removed (the bodies checked never hold `//`
/// inside string literals at their start, which is all that is read).
fn without_line_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Index just past the bracket that closes the one opening at `open`.
fn matching(text: &[u8], open: usize, left: u8, right: u8) -> usize {
    let mut depth = 0;
    for (i, &c) in text.iter().enumerate().skip(open) {
        if c == left {
            depth += 1;
        } else if c == right {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
    }
    panic!("unbalanced brackets");
}

/// Every `fn` of the file with its body.
fn functions(file: &str, source: &str, into: &mut BTreeMap<String, Function>) {
    let text = without_line_comments(source);
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("fn ") {
        let start = from + at;
        from = start + 3;
        let preceded_ok =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if !preceded_ok {
            continue;
        }
        let name: String = text[start + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let Some(paren) = text[start..].find('(').map(|p| start + p) else {
            continue;
        };
        let after_args = matching(bytes, paren, b'(', b')');
        // The body opens at the first `{` after the arguments (return types
        // here never contain braces); a `;` first means a declaration.
        let rest = &text[after_args..];
        let (Some(brace), semicolon) = (rest.find('{'), rest.find(';')) else {
            continue;
        };
        if semicolon.is_some_and(|s| s < brace) {
            continue;
        }
        let open = after_args + brace;
        let close = matching(bytes, open, b'{', b'}');
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let signature = &text[line_start..start];
        into.insert(
            name,
            Function {
                exported: signature.contains("extern \"C\""),
                file: file.to_string(),
                body: text[open + 1..close - 1].trim().to_string(),
            },
        );
        from = close;
    }
}

fn starts_boundary(body: &str) -> bool {
    body.starts_with("ffi_boundary!")
}

/// The function a body consisting of one call calls, if that is all it is.
fn single_call(body: &str) -> Option<&str> {
    let name_end = body.find('(')?;
    let name = body[..name_end].trim();
    let name = name.rsplit("::").next()?;
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let call_end = matching(body.as_bytes(), name_end, b'(', b')');
    let tail = body[call_end..].trim();
    (valid && (tail.is_empty() || tail == ";")).then_some(name)
}

/// Whether `body` is one call to a function that runs inside the boundary,
/// itself or through another such call (`with_topic` calls `with_cluster`).
fn delegates_to_boundary(all: &BTreeMap<String, Function>, body: &str, depth: usize) -> bool {
    depth < 4
        && single_call(body)
            .and_then(|callee| all.get(callee))
            .is_some_and(|callee| {
                starts_boundary(&callee.body) || delegates_to_boundary(all, &callee.body, depth + 1)
            })
}

#[test]
fn every_exported_function_runs_inside_the_panic_boundary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("src/ffi") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("read source");
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            functions(&file, &source, &mut all);
        }
    }
    let exported = all.values().filter(|f| f.exported).count();
    assert!(
        exported > 150,
        "only {exported} exported functions found: is the scan broken?"
    );
    let mut outside: Vec<String> = Vec::new();
    for (name, f) in all.iter().filter(|(_, f)| f.exported) {
        if starts_boundary(&f.body) {
            continue;
        }
        if !delegates_to_boundary(&all, &f.body, 0) {
            outside.push(format!("{}: {name}", f.file));
        }
    }
    assert!(
        outside.is_empty(),
        "exported functions whose body is not inside ffi_boundary! (nor one call to a function that is):\n{}",
        outside.join("\n")
    );
}

#[test]
fn the_scan_sees_a_missing_boundary() {
    let source = r#"
        #[no_mangle]
        pub extern "C" fn inside() -> i32 { ffi_boundary!(0, { 1 }) }
        #[no_mangle]
        pub extern "C" fn outside() -> i32 { 1 }
        #[no_mangle]
        pub extern "C" fn delegating() -> i32 { inside() }
    "#;
    let mut all = BTreeMap::new();
    functions("example.rs", source, &mut all);
    assert!(starts_boundary(&all["inside"].body));
    assert!(!starts_boundary(&all["outside"].body));
    assert_eq!(single_call(&all["delegating"].body), Some("inside"));
    assert_eq!(single_call(&all["outside"].body), None);
}
