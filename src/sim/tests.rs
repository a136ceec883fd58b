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

/// Go evaluates (and so dereferences) a value receiver at the `go` and
/// `defer` statement itself; output recorded from Go 1.23.
#[test]
fn nil_pointer_value_receiver_panics_at_go_and_defer_statements() {
    for stmt in ["go p.M()", "defer p.M()", "f := p.M; f()"] {
        let src = format!(
            "package main\nimport \"fmt\"\ntype T struct{{ n int }}\nfunc (t T) M() {{ fmt.Println(\"never\") }}\nfunc main() {{\n\tvar p *T\n\tfmt.Println(\"before\")\n\t{stmt}\n\tfmt.Println(\"after\")\n}}\n"
        );
        let r = go(&src);
        assert_eq!(r.stdout, "before\n", "{stmt}");
        assert_eq!(r.exit_code, 2, "{stmt}");
        assert_eq!(
            r.stderr.lines().next(),
            Some("panic: runtime error: invalid memory address or nil pointer dereference"),
            "{stmt}"
        );
    }
}

#[test]
fn snippet_without_main_runs_wrapped() {
    let r = go("x := []int{1, 2, 3}\nfmt.Println(len(x), x)\n");
    assert_eq!(r.stdout, "3 [1 2 3]\n", "{}", r.stderr);
}

#[test]
fn sort_sort_with_std_slice_types_and_reverse() {
    let src = "package main\nimport (\n\t\"fmt\"\n\t\"sort\"\n)\nfunc main() {\n\ts := []string{\"b\", \"c\", \"a\"}\n\tsort.Sort(sort.StringSlice(s))\n\tn := []int{3, 1, 2}\n\tsort.Sort(sort.Reverse(sort.IntSlice(n[:2])))\n\tr := sort.Reverse(sort.IntSlice(n))\n\tf := []float64{2, 1, 3}\n\tsort.Stable(sort.Reverse(sort.Float64Slice(f)))\n\tfmt.Println(s, n, f)\n\tfmt.Printf(\"%T %d\\n\", r, r.Len())\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout, "[a b c] [3 1 2] [3 2 1]\n*sort.reverse 3\n",
        "{}",
        r.stderr
    );
}

#[test]
fn sort_sort_with_a_user_interface_is_rejected() {
    let src = "package main\nimport \"sort\"\ntype byLen []string\nfunc main() {\n\tx := []string{\"bb\", \"a\"}\n\tsort.Sort(byLen(x))\n}\n";
    let d = check(src, "x.go");
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].col), (6, 7));
    assert!(d[0].message.starts_with("unsupported: sort.Sort"), "{d:?}");
}

#[test]
fn slices_and_maps_keep_their_static_type_for_fmt() {
    let src = "package main\nimport \"fmt\"\nfunc main() {\n\tvar s []int\n\tvar m map[int]bool\n\tb := []byte{1, 171, 255}\n\tt := append(s, 1)\n\tfmt.Printf(\"%#v %#v %T %T %T\\n\", s, m, s, m, t[:0])\n\tfmt.Printf(\"%X %x %x\\n\", b, b[1:], []int{10, 11})\n\tfmt.Printf(\"%#v %#v\\n\", [][]int{{1}, nil}, map[string][]int{\"a\": nil})\n\tfmt.Printf(\"%s|%T\\n\", []byte(\"hi\"), []rune(\"x\"))\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout,
        "[]int(nil) map[int]bool(nil) []int map[int]bool []int\n01ABFF abff [a b]\n[][]int{[]int{1}, []int(nil)} map[string][]int{\"a\":[]int(nil)}\nhi|[]int32\n",
        "{}",
        r.stderr
    );
}

#[test]
fn percent_t_uses_static_types() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n)\n\ntype day int\ntype temp float64\n\nconst (\n\tmon day = iota\n\ttue\n)\n\nfunc pick(a int, rest ...string) (int, error) { return a, nil }\n\nfunc main() {\n\tvar r rune = 'a'\n\tby := byte('b')\n\tc := 'c'\n\tmon := 5\n\tvar e error = errors.New(\"x\")\n\tfmt.Printf(\"%T %T %T %T %T %T\\n\", r, by, c, tue, tue+1, mon)\n\tfmt.Printf(\"%T %T %T %T\\n\", temp(1), pick, func(x []int) {}, e)\n\tfmt.Printf(\"%T %T %T %T\\n\", make(chan<- int), struct{}{}, struct{ a int }{1}, new(int64))\n\ts := fmt.Sprintf(\"%T|%v\", c, c)\n\tfmt.Println(s)\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout,
        "int32 uint8 int32 main.day main.day int\nmain.temp func(int, ...string) (int, error) func([]int) *errors.errorString\nchan<- int struct {} struct { a int } *int64\nint32|99\n",
        "{}",
        r.stderr
    );
}

#[test]
fn exact_constants_uint64_and_float32_print_like_go() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport \"fmt\"\n\nconst big = 1 << 100\nconst third = 1.0 / 3\n\nfunc main() {\n\tvar u uint64 = 1<<64 - 1\n\tf := float32(0.1)\n\tfmt.Println(big>>98, -7/2, -7%3, 1<<62>>60, ^0, u, third, 0.1*3, 2.5e3/4)\n\tfmt.Printf(\"%x %d %v|%v %T %.3f\\n\", u, u, f, float64(f), f, f)\n\ts := fmt.Sprint(u, f)\n\tfmt.Println(s)\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout,
        "4 -3 -1 4 -1 18446744073709551615 0.3333333333333333 0.3 625\nffffffffffffffff 18446744073709551615 0.1|0.10000000149011612 float32 0.100\n18446744073709551615 0.1\n",
        "{}",
        r.stderr
    );
}

#[test]
fn constants_beyond_128_bits_or_int_are_rejected() {
    let src = "package main\nimport \"fmt\"\nconst big = 1 << 100\nfunc main() {\n\tfmt.Println(big)\n}\n";
    let d = check(src, "x.go");
    assert_eq!((d[0].line, d[0].col), (5, 14), "{d:?}");
    assert!(d[0].message.contains("overflows"), "{d:?}");
}

#[test]
fn methods_on_named_non_struct_types() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport (\n\t\"fmt\"\n\t\"sort\"\n)\n\ntype State int\n\nconst (\n\tIdle State = iota\n\tBusy\n)\n\nfunc (s State) String() string {\n\tif s == Idle {\n\t\treturn \"idle\"\n\t}\n\treturn \"busy\"\n}\n\nfunc (s State) Next() State { return (s + 1) % 2 }\n\ntype byLen []string\n\nfunc (a byLen) Len() int           { return len(a) }\nfunc (a byLen) Less(i, j int) bool { return len(a[i]) < len(a[j]) }\nfunc (a byLen) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }\n\nfunc describe(s State) string { return fmt.Sprintf(\"[%v|%d|%q]\", s, s, s) }\n\nfunc main() {\n\ts := Busy\n\tfmt.Println(Idle, s, s.Next(), s.String())\n\tfmt.Println(describe(Idle))\n\tw := []string{\"ccc\", \"a\", \"bb\", \"dd\", \"e\"}\n\tsort.Stable(byLen(w))\n\tfmt.Println(w, byLen(w).Len())\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout, "idle busy idle busy\n[idle|0|\"idle\"]\n[a e bb dd ccc] 5\n",
        "{}",
        r.stderr
    );
}

#[test]
fn error_methods_on_non_struct_types_are_rejected() {
    let src = "package main\ntype code int\nfunc (c code) Error() string { return \"e\" }\nfunc main() {}\n";
    let d = check(src, "x.go");
    assert_eq!((d[0].line, d[0].col), (3, 7), "{d:?}");
    assert!(
        d[0].message.starts_with("unsupported: Error method"),
        "{d:?}"
    );
}

#[test]
fn pointer_receivers_on_non_struct_types_are_rejected() {
    let src = "package main\ntype n int\nfunc (p *n) Inc() { *p++ }\nfunc main() {}\n";
    let d = check(src, "x.go");
    assert_eq!((d[0].line, d[0].col), (3, 7), "{d:?}");
    assert!(
        d[0].message.starts_with("unsupported: pointer-receiver"),
        "{d:?}"
    );
}

#[test]
fn package_level_vars_keep_their_static_type() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport \"fmt\"\n\ntype State int\n\nfunc (s State) String() string { return [...]string{\"idle\", \"busy\"}[s] }\n\nvar current State = 1\nvar names = []string{\"x\"}\nvar r = 'q'\n\nfunc main() {\n\tfmt.Println(current, names, r)\n\tfmt.Printf(\"%v %T %T\\n\", current, current, r)\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout, "busy [x] 113\nbusy main.State int32\n",
        "{}",
        r.stderr
    );
}

#[test]
fn captured_vars_keep_their_static_type() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport (\n\t\"fmt\"\n\t\"sync\"\n)\n\ntype State int\n\nfunc (s State) String() string { return [...]string{\"idle\", \"busy\"}[s] }\n\nfunc main() {\n\ts := State(1)\n\tc := 'x'\n\tvar wg sync.WaitGroup\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tfunc() {\n\t\t\tfmt.Printf(\"%v %T %T\\n\", s, s, c)\n\t\t}()\n\t}()\n\twg.Wait()\n}\n";
    let r = go(src);
    assert_eq!(r.stdout, "busy main.State int32\n", "{}", r.stderr);
}

#[test]
fn elements_and_fields_keep_their_static_type() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport \"fmt\"\n\ntype celsius float64\n\nfunc (c celsius) String() string { return fmt.Sprintf(\"%.1fC\", float64(c)) }\n\ntype reading struct{ t celsius }\n\nfunc main() {\n\txs := []celsius{1.5, 2}\n\tr := &reading{3}\n\tm := map[string][2]celsius{\"k\": {4, 5}}\n\tb := []byte(\"hi\")\n\tfmt.Println(xs[0].String(), r.t.String(), m[\"k\"][1])\n\tfmt.Printf(\"%T\\n\", b[0])\n\tfmt.Printf(\"%v %T %T\\n\", r.t, xs[1], m[\"k\"])\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout, "1.5C 3.0C 5.0C\nuint8\n3.0C main.celsius [2]main.celsius\n",
        "{}",
        r.stderr
    );
}

#[test]
fn deferred_fmt_calls_keep_static_types() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport \"fmt\"\n\ntype State int\n\nfunc (s State) String() string { return [...]string{\"idle\", \"busy\"}[s] }\n\nfunc main() {\n\ts := State(1)\n\tdefer fmt.Println(\"deferred:\", s)\n\tdefer fmt.Printf(\"%v %T\\n\", s, 'r')\n\ts = 0\n\tfmt.Println(s)\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout, "idle\nbusy int32\ndeferred: busy\n",
        "{}",
        r.stderr
    );
}

#[test]
fn float32_variables_round_on_every_store() {
    // Expected output recorded from Go 1.23.
    let src = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar f float32 = 0.1\n\tg := f * 3\n\tvar sum float32\n\tfor i := 0; i < 10; i++ {\n\t\tsum += 0.1\n\t}\n\tfmt.Println(f, g, sum, float64(sum))\n\tfmt.Printf(\"%v %.2f %T\\n\", g, g, g)\n}\n";
    let r = go(src);
    assert_eq!(
        r.stdout, "0.1 0.3 1.0000001 1.0000001192092896\n0.3 0.30 float32\n",
        "{}",
        r.stderr
    );
}

#[test]
fn nested_values_print_by_their_static_element_type() {
    // Expected outputs recorded from Go 1.23: String() is used for elements
    // and exported fields, not inside unexported fields.
    for (src, want) in [("package main\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n)\n\ntype pt struct{ x int }\n\nfunc (p pt) String() string { return \"P\" }\n\ntype level int\n\nfunc (l level) String() string { return \"L\" }\n\ntype box struct {\n\tinner pt\n\tOuter pt\n\tlv    level\n\tLv    level\n\tErrs  []error\n\tLs    []level\n}\n\nfunc main() {\n\tb := box{pt{1}, pt{2}, 1, 2, []error{errors.New(\"f\")}, []level{3}}\n\tfmt.Println(b)\n\tfmt.Printf(\"%v|%+v\\n\", b, []box{b})\n}\n", "{{1} P 1 L [f] [L]}\n{{1} P 1 L [f] [L]}|[{inner:{x:1} Outer:P lv:1 Lv:L Errs:[f] Ls:[L]}]\n"), ("package main\n\nimport \"fmt\"\n\ntype celsius float64\n\nfunc (c celsius) String() string { return fmt.Sprintf(\"%.1fC\", float64(c)) }\n\ntype reading struct {\n\tt    celsius\n\tn    int\n\ttags []celsius\n}\n\nfunc main() {\n\txs := []celsius{1.5, 2}\n\tr := reading{3, 4, []celsius{5}}\n\tm := map[string]celsius{\"k\": 6}\n\tfs := []float32{0.1, 0.2}\n\tvar big [2]uint64\n\tbig[0] = 1<<64 - 1\n\tfmt.Println(xs, r, m, fs, big)\n\tfmt.Printf(\"%v %+v %v %d\\n\", xs, r, &r, xs)\n}\n", "[1.5C 2.0C] {3 4 [5]} map[k:6.0C] [0.1 0.2] [18446744073709551615 0]\n[1.5C 2.0C] {t:3 n:4 tags:[5]} &{3 4 [5]} [%!d(main.celsius=1.5) %!d(main.celsius=2)]\n")] {
        let r = go(src);
        assert_eq!(r.stdout, want, "{}", r.stderr);
    }
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
fn exit_report_tells_blocked_leaks_from_unfinished_work() {
    // Two goroutines park on a channel nobody sends to; one is still
    // sleeping and one never got scheduled when main returns.
    let src = "package main\nimport \"time\"\nfunc main() {\n\tch := make(chan int)\n\tgo func() { <-ch }()\n\tgo func() { <-ch }()\n\tgo func() { time.Sleep(time.Hour) }()\n\ttime.Sleep(time.Millisecond)\n\tgo func() {}()\n}\n";
    let r = go(src);
    assert_eq!(r.report.leaked, 4, "{}", r.report);
    assert_eq!(r.report.blocked, 2, "{}", r.report);
    let reasons: Vec<(&str, bool)> = r
        .report
        .goroutines
        .iter()
        .map(|g| (g.wait_reason.as_str(), g.is_blocked()))
        .collect();
    assert!(reasons.contains(&("chan receive", true)), "{reasons:?}");
    assert!(reasons.contains(&("sleep", false)), "{reasons:?}");
    assert!(reasons.contains(&("runnable", false)), "{reasons:?}");
    assert!(r
        .report
        .to_string()
        .contains("goroutines alive at exit: 4 (2 blocked)"));
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
        .any(|k| matches!(k, EventKind::Spawn { child: 2, .. })));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, EventKind::ChanSend { .. })));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, EventKind::Block { reason, .. } if reason == "chan receive")));
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

// Found by the `go` fuzz target: a ticker nobody reads kept the scheduler
// firing timers forever without ever reaching the step budget.
#[test]
fn unread_ticker_ends_at_the_step_budget() {
    let src = r#"package main

import "time"

func main() {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	block := make(chan int)
	<-block
}
"#;
    let opts = SimOptions {
        max_steps: 10_000,
        ..SimOptions::default()
    };
    let r = crate::sim::run(src, "tick.go", &opts);
    assert_eq!(r.exit_code, 2);
    assert!(
        r.stderr.contains("step budget exceeded"),
        "stderr: {}",
        r.stderr
    );
}

#[test]
fn send_to_a_constant_is_a_compile_error() {
    let src =
        "package main\n\nfunc main() {\n\tc := make(chan int)\n\tselect {\n\tcase 5<-c:\n\t}\n}\n";
    let r = go(src);
    assert_eq!(r.exit_code, 1);
    assert!(
        r.stderr.contains(
            "6:7: invalid operation: cannot send to non-channel 5 (untyped int constant)"
        ),
        "stderr: {}",
        r.stderr
    );
}
