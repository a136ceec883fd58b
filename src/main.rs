//! The `strata` command: the GUI by default, plus scriptable subcommands
//! (contract in ARCHITECTURE.md). Exit codes: 0 ok, 1 problems found,
//! 2 usage or I/O error.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::diagram::{self, Theme};
use strata::markdown::{self, BlockKind, DiagramKind};

#[derive(Parser)]
#[command(
    name = "strata",
    version,
    about = "A desktop studio for linked technical notes, flowcharts and Go concurrency",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// A vault folder or a note to open (default: the last vault, else the bundled samples).
    path: Option<PathBuf>,

    /// Paint this many frames and exit (used by CI to smoke-launch the GUI).
    #[arg(long, hide = true)]
    exit_after_frames: Option<u64>,

    /// Print the milliseconds from process start to the first painted frame, then exit.
    #[arg(long, hide = true)]
    startup_report: bool,

    /// Count the frames painted during SECS idle seconds after the first one, print, exit.
    #[arg(long, hide = true, value_name = "SECS")]
    idle_report: Option<f64>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Svg,
    Png,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
}

#[derive(Clone, Copy, ValueEnum)]
enum GoArg {
    #[value(name = "1.21")]
    Go121,
    #[value(name = "1.22")]
    Go122,
}

#[derive(Subcommand)]
enum Command {
    /// Lint a vault (or one note): broken and ambiguous links, diagram errors
    /// and portability warnings, undecodable files.
    /// Prints `path:line:col: error|warning: message`; exit 1 if anything was found.
    Check {
        /// Vault folder or a note inside one.
        path: PathBuf,
    },
    /// Rename or move a note and rewrite every link to it (paths relative to VAULT).
    /// Text inside code is never rewritten.
    Mv {
        vault: PathBuf,
        from: String,
        to: String,
    },
    /// Draw one diagram: a .mmd (Mermaid) or .dot file, a note's first diagram, or - for stdin (Mermaid).
    Render {
        /// Input file, or - for Mermaid text on stdin.
        input: String,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "svg")]
        format: Format,
        #[arg(long, value_enum, default_value = "light")]
        theme: ThemeArg,
    },
    /// Export a vault: every diagram as SVG files, a self-contained offline HTML site,
    /// and/or a Markdown summary of its review comments.
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["svg", "html", "review"])))]
    Export {
        vault: PathBuf,
        /// Write every diagram as DIR/<note path>-<n>.svg.
        #[arg(long, value_name = "DIR")]
        svg: Option<PathBuf>,
        /// Write a static site (one page per note, search, diagrams inline) that works from file://.
        #[arg(long, value_name = "DIR")]
        html: Option<PathBuf>,
        /// With --html: export only this note, as one file with everything inlined.
        #[arg(long, value_name = "NOTE", requires = "html")]
        single: Option<String>,
        /// Write every note's review comments (open and resolved, with replies) as Markdown.
        #[arg(long, value_name = "OUT.md")]
        review: Option<PathBuf>,
    },
    /// Run a Go program in the sandboxed simulator; stdout, stderr and exit
    /// code as the real program would give them.
    Sim {
        file: PathBuf,
        /// Language version: 1.21 = one loop variable per loop, 1.22 = one per iteration.
        #[arg(long = "go", value_enum, default_value = "1.22")]
        go: GoArg,
        /// Seed for scheduling and select choices.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Step budget; the run stops with a message when it is exceeded.
        #[arg(long, default_value_t = 50_000_000)]
        max_steps: u64,
        /// After the program's output, print leaked goroutines, open files and deadlock causes to stderr.
        #[arg(long)]
        report: bool,
        /// Write every event of the run as JSON.
        #[arg(long, value_name = "OUT.json")]
        trace: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // Taken first: `--startup-report` measures from here.
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    match cli.command {
        None => match strata::ui::run_with(strata::ui::RunOptions {
            path: cli.path,
            exit_after_frames: cli.exit_after_frames,
            startup_report: cli.startup_report,
            idle_report: cli.idle_report,
            started,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("strata: {e}");
                ExitCode::from(2)
            }
        },
        Some(Command::Check { path }) => check(&path),
        Some(Command::Mv { vault, from, to }) => mv(&vault, &from, &to),
        Some(Command::Render {
            input,
            output,
            format,
            theme,
        }) => render(&input, output.as_deref(), format, theme.into()),
        Some(Command::Export {
            vault,
            svg,
            html,
            single,
            review,
        }) => {
            let code = export(&vault, svg.as_deref(), html.as_deref(), single);
            match review {
                // Diagram problems (exit 1) still get their summary written.
                Some(out) if code != ExitCode::from(2) => match export_review(&vault, &out) {
                    c if c == ExitCode::SUCCESS => code,
                    c => c,
                },
                _ => code,
            }
        }
        Some(Command::Sim {
            file,
            go,
            seed,
            max_steps,
            report,
            trace,
        }) => {
            let opts = strata::sim::SimOptions {
                go_version: match go {
                    GoArg::Go121 => strata::sim::GoVersion::Go121,
                    GoArg::Go122 => strata::sim::GoVersion::Go122,
                },
                seed,
                max_steps,
                trace: trace.is_some(),
                ..strata::sim::SimOptions::default()
            };
            sim(&file, &opts, report, trace.as_deref())
        }
    }
}

impl From<ThemeArg> for Theme {
    fn from(t: ThemeArg) -> Theme {
        match t {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        }
    }
}

/// Vault-relative, '/'-separated path of `file` inside `root`.
fn relative_to(root: &Path, file: &Path) -> Option<String> {
    let root = root.canonicalize().ok()?;
    let file = file.canonicalize().ok()?;
    let rel = file.strip_prefix(&root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

fn open_vault(cmd: &str, root: &Path) -> Result<strata::vault::Vault, ExitCode> {
    strata::vault::Vault::open(root).map_err(|e| {
        eprintln!("strata {cmd}: {e}");
        ExitCode::from(2)
    })
}

fn check(path: &Path) -> ExitCode {
    let (root, only) = if path.is_file() {
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let only = relative_to(&root, path);
        (root, only)
    } else if path.is_dir() {
        (path.to_path_buf(), None)
    } else {
        eprintln!("strata check: {}: no such file or folder", path.display());
        return ExitCode::from(2);
    };
    let vault = match open_vault("check", &root) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut problems = 0;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for d in strata::check::check(&vault)
        .iter()
        .filter(|d| only.as_ref().is_none_or(|o| &d.path == o))
    {
        let _ = writeln!(out, "{d}");
        problems += 1;
    }
    if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn mv(vault: &Path, from: &str, to: &str) -> ExitCode {
    let mut v = match open_vault("mv", vault) {
        Ok(v) => v,
        Err(code) => return code,
    };
    match v.rename(from, to) {
        Ok(plan) => {
            let others = plan.edits.iter().filter(|e| e.path != plan.to).count();
            println!(
                "moved {} -> {}; rewrote links in {} other note(s)",
                plan.from, plan.to, others
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("strata mv: {e}");
            ExitCode::from(2)
        }
    }
}

/// A diagram's source and kind, picked from a file by its extension.
fn diagram_source(input: &str) -> Result<(DiagramKind, String, String), String> {
    if input == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        return Ok((DiagramKind::Mermaid, s, "<stdin>".into()));
    }
    let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    let lower = input.to_ascii_lowercase();
    if lower.ends_with(".dot") || lower.ends_with(".gv") {
        return Ok((DiagramKind::Dot, text, input.into()));
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        let doc = markdown::parse(&text);
        let first = markdown::diagrams(&doc).into_iter().next();
        return match first {
            Some(b) => match &b.kind {
                BlockKind::Diagram { kind, source } => {
                    Ok((*kind, source.clone(), format!("{input}:{}", b.line + 1)))
                }
                _ => unreachable!("diagrams() returns only diagram blocks"),
            },
            None => Err(format!(
                "{input}: the note has no ```mermaid or ```dot block"
            )),
        };
    }
    Ok((DiagramKind::Mermaid, text, input.into()))
}

fn render(input: &str, output: Option<&Path>, format: Format, theme: Theme) -> ExitCode {
    let (kind, src, origin) = match diagram_source(input) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("strata render: {e}");
            return ExitCode::from(2);
        }
    };
    let svg_or_json: Result<String, String> = match (kind, format) {
        (DiagramKind::Mermaid, Format::Json) => {
            diagram::layout_json(&src).map_err(|e| e.render(&src))
        }
        (DiagramKind::Mermaid, _) => diagram::render_svg(&src, theme).map_err(|e| e.render(&src)),
        (DiagramKind::Dot, Format::Json) => {
            Err("JSON layout output is for Mermaid diagrams; DOT is drawn by layout-rs".into())
        }
        (DiagramKind::Dot, _) => diagram::dot::render_svg(&src).map_err(|e| e.to_string()),
    };
    let text = match svg_or_json {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{origin}:{e}");
            return ExitCode::from(1);
        }
    };
    let bytes = match format {
        Format::Png => match diagram::png::svg_to_png(&text, 2.0) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("strata render: {e}");
                return ExitCode::from(1);
            }
        },
        Format::Svg | Format::Json => text.into_bytes(),
    };
    let written = match output {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("stdout: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("strata render: {e}");
            ExitCode::from(2)
        }
    }
}

fn export(
    vault_root: &Path,
    svg: Option<&Path>,
    html: Option<&Path>,
    single: Option<String>,
) -> ExitCode {
    let vault = match open_vault("export", vault_root) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut problems = 0;
    if let Some(dir) = svg {
        match strata::export::export_svgs_report(&vault, dir) {
            Ok(report) => {
                for e in &report.errors {
                    eprintln!("{e}");
                }
                problems += report.errors.len();
                println!(
                    "wrote {} SVG file(s) to {}",
                    report.files.len(),
                    dir.display()
                );
            }
            Err(e) => {
                eprintln!("strata export: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(dir) = html {
        let opts = strata::export::HtmlOptions { single };
        match strata::export::export_html(&vault, dir, &opts) {
            Ok(summary) => {
                for (note, line, msg) in &summary.diagram_errors {
                    eprintln!("{note}:{line}:{msg}");
                }
                problems += summary.diagram_errors.len();
                println!(
                    "wrote {} page(s) with {} diagram(s) to {}",
                    summary.pages,
                    summary.diagrams,
                    dir.display()
                );
            }
            Err(e) => {
                eprintln!("strata export: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Exit 1 when a review file could not be read (the summary lists it).
fn export_review(vault_root: &Path, out: &Path) -> ExitCode {
    let vault = match open_vault("export", vault_root) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let store = strata::review::ReviewStore::open(vault.root());
    let text = strata::review::summary::markdown(&store, |p| vault.text(p));
    if let Err(e) = strata::vault::save::atomic_write(out, text.as_bytes()) {
        eprintln!("strata export: {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let mut problems = 0;
    for (_, e) in store.errors() {
        eprintln!("{e}");
        problems += 1;
    }
    println!(
        "wrote {} review comment(s) on {} note(s) to {}",
        store.comments().count(),
        store.notes().count(),
        out.display()
    );
    if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn sim(
    file: &Path,
    opts: &strata::sim::SimOptions,
    report: bool,
    trace: Option<&Path>,
) -> ExitCode {
    let src = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("strata sim: {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let result = strata::sim::run(&src, &file.display().to_string(), opts);
    let _ = std::io::stdout().write_all(result.stdout.as_bytes());
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(result.stderr.as_bytes());
    if report {
        let _ = write!(err, "{}", result.report);
    }
    if let Some(path) = trace {
        let json = match serde_json::to_string(&result.trace) {
            Ok(j) => j,
            Err(e) => {
                let _ = writeln!(err, "strata sim: trace: {e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = std::fs::write(path, json) {
            let _ = writeln!(err, "strata sim: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::from(u8::try_from(result.exit_code).unwrap_or(1))
}
