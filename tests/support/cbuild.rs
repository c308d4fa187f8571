//! Compiling C/C++ test programs against ferrokafka or the system librdkafka.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Which implementation of the librdkafka C API a program is built against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Against {
    /// Our `include/` headers and `libferrokafka.so` (found via rpath, see
    /// [`super::paths::lib_dir`]).
    Ours,
    /// Debian's `librdkafka-dev` (`/usr/include/librdkafka`, `-lrdkafka`).
    Librdkafka,
}

impl Against {
    /// A short name for file and process names: "ours" or "rdk".
    pub fn tag(self) -> &'static str {
        match self {
            Against::Ours => "ours",
            Against::Librdkafka => "rdk",
        }
    }
}

const COMPILE_TIMEOUT: Duration = Duration::from_secs(300);

/// Set to 1 (or ON), this environment variable builds every C/C++ test
/// program with ASan and UBSan, the same flags as CMake's
/// FERROKAFKA_SANITIZE option; `tests/sanitized-c-programs.sh` runs the
/// suite's C/C++ programs that way. A UBSan finding aborts the program, so
/// the test that runs it fails.
const SANITIZE_ENV: &str = "FERROKAFKA_SANITIZE";
const SANITIZE_FLAGS: [&str; 3] = [
    "-fsanitize=address,undefined",
    "-fno-omit-frame-pointer",
    "-fno-sanitize-recover=undefined",
];

/// Whether C/C++ test programs are built with the sanitizers. Valgrind
/// cannot run such programs (and ASan checks the same things), so the
/// valgrind tests skip then.
pub fn sanitize_requested() -> bool {
    std::env::var(SANITIZE_ENV).is_ok_and(|v| matches!(v.as_str(), "1" | "ON" | "on"))
}

fn is_cxx(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("cc" | "cpp" | "cxx" | "C")
    )
}

/// Compiles `sources` into an executable named `name` and returns its path.
///
/// Warnings are errors and the language is strict ISO (`-std=c11`, or
/// `-std=c++17` when any source is C++), so a header that only compiles with
/// extensions fails here, as it would for a strict user. The result is cached
/// under `target/tmp/cbuild/` keyed by a hash of everything that affects it
/// (sources, headers next to them, our headers, flags), so calling this from
/// many tests is cheap. Linking is dynamic, so rebuilding ferrokafka does
/// not invalidate the cache.
///
/// Panics with the compiler's output if compilation fails.
pub fn build_c(name: &str, sources: &[&Path], against: Against, extra_args: &[&str]) -> PathBuf {
    assert!(!sources.is_empty(), "build_c({name}): no sources");
    let cxx = sources.iter().any(|s| is_cxx(s));
    let compiler = if cxx {
        std::env::var("CXX").unwrap_or_else(|_| "c++".to_string())
    } else {
        std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
    };

    let mut args: Vec<String> = vec![
        "-Wall".into(),
        "-Wextra".into(),
        "-Werror".into(),
        "-pedantic".into(),
        if cxx { "-std=c++17" } else { "-std=c11" }.into(),
        "-g".into(),
    ];
    let mut libs: Vec<String> = Vec::new();
    match against {
        Against::Ours => {
            let lib = super::paths::lib_dir();
            args.push(format!("-I{}", super::paths::include_dir().display()));
            libs.push(format!("-L{}", lib.display()));
            libs.push("-lferrokafka".into());
            // DT_RPATH, not DT_RUNPATH: cargo puts target/<profile> (with a
            // possibly stale uplifted copy of the library) on
            // LD_LIBRARY_PATH, which RUNPATH would let win.
            libs.push("-Wl,--disable-new-dtags".into());
            libs.push(format!("-Wl,-rpath,{}", lib.display()));
        }
        Against::Librdkafka => {
            if cxx {
                libs.push("-lrdkafka++".into());
            }
            libs.push("-lrdkafka".into());
        }
    }
    libs.extend(["-lpthread", "-ldl", "-lm"].map(String::from));
    args.extend(extra_args.iter().map(|s| s.to_string()));
    if sanitize_requested() {
        args.extend(SANITIZE_FLAGS.map(String::from));
        libs.push("-fsanitize=address,undefined".into());
    }

    let key = cache_key(&compiler, &args, &libs, sources, against);
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cbuild")
        .join(format!("{name}-{key:016x}"));
    let exe = out_dir.join(name);
    if exe.exists() {
        assert_loads_intended(&exe, against);
        return exe;
    }
    std::fs::create_dir_all(&out_dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", out_dir.display()));

    // Concurrent tests may build the same program: each writes its own file
    // and renames it into place, which is atomic, so nobody runs a half
    // written executable.
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let tmp = out_dir.join(format!(
        "{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut cmd = Command::new(&compiler);
    cmd.args(&args)
        .args(sources.iter().map(|s| s.as_os_str()))
        .arg("-o")
        .arg(&tmp)
        .args(&libs);
    let cmdline = format!("{cmd:?}");
    let done = super::process::run_with_timeout(&mut cmd, None, COMPILE_TIMEOUT);
    if !done.success() {
        let _ = std::fs::remove_file(&tmp);
        panic!(
            "compiling {name} ({against:?}) failed\ncommand: {cmdline}\n{}",
            done.describe()
        );
    }
    std::fs::rename(&tmp, &exe)
        .unwrap_or_else(|e| panic!("cannot move {} into place: {e}", tmp.display()));
    assert_loads_intended(&exe, against);
    exe
}

/// Proves with `ldd` (in this process's environment, as the test will run
/// it) that `binary` loads the library it was built for: the
/// `librdkafka.so.1` it asks for must resolve into
/// [`super::paths::lib_dir`] for ours, and outside it (the system's
/// librdkafka) for Debian's.
pub fn assert_loads_intended(binary: &Path, against: Against) {
    let (resolved, text) = ldd_librdkafka(Command::new("ldd").arg(binary));
    let resolved = resolved.unwrap_or_default();
    let lib_dir = super::paths::lib_dir();
    let ours = std::fs::canonicalize(&resolved)
        .ok()
        .zip(std::fs::canonicalize(lib_dir.join("librdkafka.so.1")).ok())
        .is_some_and(|(a, b)| a == b);
    assert!(
        ours == (against == Against::Ours) && !resolved.is_empty(),
        "{} ({against:?}) would load {resolved:?} as librdkafka.so.1 (ours is in {}):\n{text}",
        binary.display(),
        lib_dir.display()
    );
}

/// Runs `ldd` (a prepared command naming the binary, so callers choose the
/// environment) and returns the path `librdkafka.so.1` resolves to, if the
/// binary needs it, with ldd's whole output for failure messages.
pub fn ldd_librdkafka(ldd: &mut Command) -> (Option<String>, String) {
    let out = ldd
        .output()
        .unwrap_or_else(|e| panic!("cannot run ldd: {e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let resolved = text
        .lines()
        .find(|l| l.trim_start().starts_with("librdkafka.so.1 "))
        .and_then(|l| l.split("=>").nth(1))
        .and_then(|r| r.split_whitespace().next())
        .map(str::to_string);
    (resolved, text)
}

fn cache_key(
    compiler: &str,
    args: &[String],
    libs: &[String],
    sources: &[&Path],
    against: Against,
) -> u64 {
    let mut h = DefaultHasher::new();
    (compiler, args, libs, against).hash(&mut h);
    for src in sources {
        hash_file(&mut h, src);
        // Local headers a harness includes live next to it.
        if let Some(dir) = src.parent() {
            hash_dir_headers(&mut h, dir);
        }
    }
    if against == Against::Ours {
        hash_dir_headers(&mut h, &super::paths::include_dir().join("librdkafka"));
    }
    h.finish()
}

fn hash_file(h: &mut DefaultHasher, path: &Path) {
    path.hash(h);
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    bytes.hash(h);
}

fn hash_dir_headers(h: &mut DefaultHasher, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut headers: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("h" | "hpp" | "hh")
            )
        })
        .collect();
    headers.sort();
    for header in headers {
        hash_file(h, &header);
    }
}
