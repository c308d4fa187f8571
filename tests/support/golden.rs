//! Committed generated files (the C headers, CONFIGURATION.md): a test
//! renders the file and compares it with the committed copy, or rewrites
//! the copy when run with `FERROKAFKA_BLESS=1`.

use std::path::Path;

/// Fails, naming the first differing line and `regenerate` (the command
/// that rewrites the file), when `path` does not hold exactly `generated`;
/// with `FERROKAFKA_BLESS=1` writes `generated` to `path` instead.
pub fn compare_or_bless(path: &Path, generated: &str, regenerate: &str) {
    if std::env::var_os("FERROKAFKA_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, generated)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed == generated {
        return;
    }
    let first_diff = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    panic!(
        "{} is stale (first difference at line {}):\n committed: {:?}\n generated: {:?}\n\
         regenerate with: {regenerate}",
        path.display(),
        first_diff + 1,
        committed.lines().nth(first_diff).unwrap_or("<end of file>"),
        generated.lines().nth(first_diff).unwrap_or("<end of file>"),
    );
}
