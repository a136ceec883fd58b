//! End-to-end tests of the simulator on small programs.

use super::*;

fn go(src: &str) -> SimResult {
    run(src, "prog.go", &SimOptions::default())
}

fn go_mode(src: &str, v: GoVersion) -> SimResult {
    run(
        src,
        "prog.go",
        &SimOptions {
            go_version: v,
            ..SimOptions::default()
        },
    )
}

#[test]
fn hello() {
    let r = go("package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello\", 42) }\n");
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "hello 42\n");
    assert_eq!(r.exit_code, 0);
}

#[test]
fn snippet_without_main_runs_wrapped() {
    let r = go("x := []int{1, 2, 3}\nfmt.Println(len(x), x)\n");
    assert_eq!(r.stdout, "3 [1 2 3]\n", "{}", r.stderr);
}

#[test]
fn loop_variable_modes_differ() {
    let src = "package main\nimport \"fmt\"\nfunc main() {\n\tvar fs []func()\n\tfor i := 0; i < 3; i++ {\n\t\tfs = append(fs, func() { fmt.Print(i) })\n\t}\n\tfor _, f := range fs {\n\t\tf()\n\t}\n}\n";
    assert_eq!(go_mode(src, GoVersion::Go121).stdout, "333");
    assert_eq!(go_mode(src, GoVersion::Go122).stdout, "012");
}

#[test]
fn per_iteration_copy_happens_before_post_statement() {
    let src = "package main\nimport \"fmt\"\nfunc main() {\n\tvar ps []*int\n\tfor i := 0; i < 3; i++ {\n\t\tps = append(ps, &i)\n\t}\n\tfor _, p := range ps {\n\t\tfmt.Print(*p)\n\t}\n}\n";
    assert_eq!(go_mode(src, GoVersion::Go122).stdout, "012");
    assert_eq!(go_mode(src, GoVersion::Go121).stdout, "333");
}

#[test]
fn deadlock_is_reported() {
    let r = go("package main\nfunc main() {\n\tch := make(chan int)\n\t<-ch\n}\n");
    assert_eq!(r.exit_code, 2);
    assert!(
        r.stderr.starts_with(
            "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:"
        ),
        "{}",
        r.stderr
    );
    assert!(r.report.deadlock.is_some());
}

#[test]
fn defer_recover_and_named_result() {
    let src = "package main\nimport \"fmt\"\nfunc f() (n int) {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\tn = 7\n\t\t}\n\t}()\n\tpanic(\"boom\")\n}\nfunc main() { fmt.Println(f()) }\n";
    let r = go(src);
    assert_eq!(r.stdout, "7\n", "{}", r.stderr);
}

#[test]
fn unrecovered_panic_in_goroutine_kills_program() {
    let src = "package main\nimport \"time\"\nfunc main() {\n\tdefer println(\"not printed\")\n\tgo func() { panic(\"bad\") }()\n\ttime.Sleep(time.Second)\n}\n";
    let r = go(src);
    assert_eq!(r.exit_code, 2);
    assert!(
        r.stderr.starts_with("panic: bad\n\ngoroutine 2 [running]:"),
        "{}",
        r.stderr
    );
}

#[test]
fn waitgroup_and_channels() {
    let src = "package main\nimport (\"fmt\"; \"sync\")\nfunc main() {\n\tvar wg sync.WaitGroup\n\tch := make(chan int, 10)\n\tfor i := 1; i <= 4; i++ {\n\t\twg.Add(1)\n\t\tgo func(n int) { defer wg.Done(); ch <- n * n }(i)\n\t}\n\twg.Wait()\n\tclose(ch)\n\tsum := 0\n\tfor v := range ch { sum += v }\n\tfmt.Println(sum)\n}\n";
    assert_eq!(go(src).stdout, "30\n");
}

#[test]
fn virtual_time_and_select_timeout() {
    let src = "package main\nimport (\"fmt\"; \"time\")\nfunc main() {\n\tstart := time.Now()\n\tch := make(chan int)\n\tselect {\n\tcase <-ch:\n\tcase <-time.After(1500 * time.Millisecond):\n\t\tfmt.Println(\"timeout after\", time.Since(start))\n\t}\n}\n";
    assert_eq!(go(src).stdout, "timeout after 1.5s\n");
}

#[test]
fn leaked_goroutines_are_reported_with_lines() {
    let src = "package main\nfunc main() {\n\tch := make(chan int)\n\tfor i := 0; i < 3; i++ {\n\t\tgo func() {\n\t\t\tch <- 1\n\t\t}()\n\t}\n}\n";
    let r = go(src);
    assert_eq!(r.exit_code, 0);
    assert_eq!(r.report.leaked, 3);
    assert!(r.report.goroutines.iter().all(|g| g.created_line == 5));
    assert!(r.report.to_string().contains("goroutines alive at exit: 3"));
}

#[test]
fn blocked_leaks_name_their_wait_reason() {
    let src = "package main\nimport \"time\"\nfunc main() {\n\tch := make(chan int)\n\tgo func() {\n\t\t<-ch\n\t}()\n\ttime.Sleep(time.Millisecond)\n}\n";
    let r = go(src);
    assert_eq!(r.report.leaked, 1);
    assert_eq!(r.report.goroutines[0].wait_reason, "chan receive");
    assert_eq!(r.report.goroutines[0].blocked_line, 6);
}

#[test]
fn file_descriptors_and_fd_limit() {
    let src = "package main\nimport (\"fmt\"; \"os\")\nfunc main() {\n\tfor i := 0; i < 10; i++ {\n\t\t_, err := os.Create(fmt.Sprintf(\"/tmp/f%d\", i))\n\t\tif err != nil {\n\t\t\tfmt.Println(err)\n\t\t\treturn\n\t\t}\n\t}\n}\n";
    let r = run(
        src,
        "prog.go",
        &SimOptions {
            fd_limit: 8,
            ..SimOptions::default()
        },
    );
    assert_eq!(r.stdout, "open /tmp/f5: too many open files\n");
    assert_eq!(r.report.open_files.len(), 5);
    assert_eq!(r.report.open_files[0].fd, 3);
}

#[test]
fn step_budget_stops_infinite_loop() {
    let r = run(
        "package main\nfunc main() {\n\tfor {\n\t}\n}\n",
        "prog.go",
        &SimOptions {
            max_steps: 10_000,
            ..SimOptions::default()
        },
    );
    assert_eq!(r.exit_code, 2);
    assert!(r.stderr.contains("step budget exceeded"), "{}", r.stderr);
    assert!(r.report.budget_exceeded.is_some());
}

#[test]
fn goroutine_budget() {
    let r = run(
        "package main\nfunc main() {\n\tfor {\n\t\tgo func() { select {} }()\n\t}\n}\n",
        "prog.go",
        &SimOptions {
            max_goroutines: 100,
            ..SimOptions::default()
        },
    );
    assert_eq!(r.exit_code, 2);
    assert!(
        r.stderr.contains("goroutine budget exceeded"),
        "{}",
        r.stderr
    );
}

#[test]
fn trace_records_concurrency_events() {
    let src = "package main\nfunc main() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n\t<-ch\n}\n";
    let r = run(
        src,
        "prog.go",
        &SimOptions {
            trace: true,
            ..SimOptions::default()
        },
    );
    let kinds: Vec<&EventKind> = r.trace.events.iter().map(|e| &e.kind).collect();
    assert!(kinds
        .iter()
        .any(|k| matches!(k, EventKind::Spawn { child: 2 })));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, EventKind::ChanSend { .. })));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, EventKind::Block { reason } if reason == "chan receive")));
    let json = serde_json::to_string(&r.trace).unwrap_or_default();
    assert!(json.contains("\"type\":\"spawn\""));
}

#[test]
fn check_reports_unsupported_and_syntax() {
    let d = check("package main\nfunc main() {\n\tgoto end\n}\n", "x.go");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].to_string(), "3:2: unsupported: goto");
    let d = check("package main\nfunc main() {\n\tx := [}\n", "x.go");
    assert!(d[0].message.starts_with("syntax error"));
    assert!(check("package main\nfunc main() { println(1) }\n", "x.go").is_empty());
}

#[test]
fn undefined_name_is_an_error() {
    let d = check("package main\nfunc main() {\n\tfoo()\n}\n", "x.go");
    assert_eq!(d[0].to_string(), "3:2: undefined: foo");
}

#[test]
fn os_exit_skips_defers() {
    let r = go("package main\nimport (\"fmt\"; \"os\")\nfunc main() {\n\tdefer fmt.Println(\"no\")\n\tos.Exit(3)\n}\n");
    assert_eq!((r.stdout.as_str(), r.exit_code), ("", 3));
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn check_never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
            let _ = check(&s, "x.go");
        }

        #[test]
        fn check_never_panics_on_go_like_tokens(toks in proptest::collection::vec(prop_oneof![
            Just("func"), Just("main"), Just("("), Just(")"), Just("{"), Just("}"), Just("\n"),
            Just("x"), Just(":="), Just("1"), Just("go"), Just("defer"), Just("chan"), Just("<-"),
            Just("select"), Just("case"), Just(":"), Just("for"), Just("range"), Just("["), Just("]"),
            Just("\"s\""), Just(","), Just("."), Just("package"), Just("struct"), Just("*"), Just("&"),
        ], 0..60)) {
            let src = toks.join(" ");
            let _ = check(&src, "x.go");
        }

        #[test]
        fn run_never_panics_on_small_programs(body in proptest::collection::vec(prop_oneof![
            Just("x := 1"), Just("x++"), Just("fmt.Println(x)"), Just("ch := make(chan int)"),
            Just("go func() { ch <- x }()"), Just("<-ch"), Just("defer fmt.Println(\"d\")"),
            Just("panic(\"p\")"), Just("var m map[string]int"), Just("m[\"a\"] = 1"),
            Just("s := []int{1}"), Just("_ = s[3]"), Just("close(ch)"),
        ], 0..8)) {
            let src = format!("package main\nimport \"fmt\"\nfunc main() {{\n{}\n}}\n", body.join("\n"));
            let opts = SimOptions { max_steps: 100_000, ..SimOptions::default() };
            let _ = run(&src, "x.go", &opts);
        }
    }
}
