use super::*;
use crate::sim::{run, GoVersion, SimOptions};

fn timeline(src: &str, go: GoVersion) -> Timeline {
    let opts = SimOptions {
        trace: true,
        trace_lines: true,
        go_version: go,
        ..SimOptions::default()
    };
    let r = run(src, "t.go", &opts);
    assert!(
        r.report.compile_error.is_none(),
        "compile error: {:?}",
        r.report.compile_error
    );
    Timeline::new(r)
}

/// Seek positions (0..=len) whose snapshot satisfies `pred` (one linear
/// fold; `checkpoints_agree_with_a_linear_fold` ties it to `snapshot`).
fn positions(t: &Timeline, pred: impl Fn(&Snapshot) -> bool) -> Vec<usize> {
    let mut s = Snapshot::initial(&t.result);
    let mut out = Vec::new();
    for at in 0..=t.len() {
        if at > 0 {
            apply(&mut s, &t.events()[at - 1]);
        }
        let mut shown = s.clone();
        finish(&mut shown);
        if pred(&shown) {
            out.push(at);
        }
    }
    out
}

/// The snapshot after `k` events computed by folding from the start, with
/// no checkpoint involved.
fn linear(t: &Timeline, k: usize) -> Snapshot {
    let mut s = Snapshot::initial(&t.result);
    for ev in &t.events()[..k] {
        apply(&mut s, ev);
    }
    finish(&mut s);
    s
}

const DEFER_LOOP: &str = r#"package main

import (
	"fmt"
	"os"
)

func work() {
	for i := 0; i < 3; i++ {
		f, _ := os.Create(fmt.Sprintf("/tmp/f%d", i))
		defer f.Close()
		defer fmt.Println(i)
	}
	fmt.Println("leaving")
}

func main() {
	work()
	fmt.Println("back")
}
"#;

#[test]
fn defer_in_loop_piles_up_cards_and_files() {
    let t = timeline(DEFER_LOOP, GoVersion::Go122);
    let full = positions(&t, |s| {
        s.goroutines
            .get(&1)
            .and_then(|g| g.frames.last())
            .is_some_and(|f| f.func == "work" && f.defers.len() == 6)
    });
    let at = *full
        .first()
        .expect("a point where work has 6 deferred calls");
    let s = t.snapshot(at);
    let g = &s.goroutines[&1];
    let names: Vec<&str> = g.frames.iter().map(|f| f.func.as_str()).collect();
    assert_eq!(names, ["main", "work"]);
    let cards = &g.frames[1].defers;
    let prints: Vec<&DeferCard> = cards.iter().filter(|c| c.func == "fmt.Println").collect();
    let args: Vec<Vec<String>> = prints.iter().map(|c| c.args.clone()).collect();
    assert_eq!(args, [vec!["0"], vec!["1"], vec!["2"]]);
    assert!(cards.iter().all(|c| !c.closure && c.line > 0));
    assert_eq!(s.files.len(), 3, "three files open while work runs");
    // After work returns its files are closed and its frame is gone.
    let back = positions(&t, |s| t.stdout_at(s).contains("back"));
    let s = t.snapshot(back[0]);
    assert!(s.files.is_empty());
    assert_eq!(s.goroutines[&1].frames.len(), 1);
    // The deferred Println calls ran LIFO: 2, 1, 0.
    assert!(t.result.stdout.starts_with("leaving\n2\n1\n0\nback\n"));
}

#[test]
fn checkpoints_agree_with_a_linear_fold() {
    let src = r#"package main

import "fmt"

func main() {
	ch := make(chan int, 3)
	done := make(chan bool)
	for w := 0; w < 4; w++ {
		go func() {
			for v := range ch {
				fmt.Println(v * w)
			}
			done <- true
		}()
	}
	for i := 0; i < 3000; i++ {
		ch <- i
	}
	close(ch)
	for w := 0; w < 4; w++ {
		<-done
	}
}
"#;
    let t = timeline(src, GoVersion::Go122);
    assert!(t.len() > 3 * CHECKPOINT_EVERY, "len {}", t.len());
    assert!(t.checkpoint_count() > 2);
    let mut x: u64 = 12345;
    let mut ks = vec![0, 1, t.len(), CHECKPOINT_EVERY, CHECKPOINT_EVERY + 1];
    for _ in 0..40 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ks.push((x % (t.len() as u64 + 1)) as usize);
    }
    for k in ks {
        assert_eq!(t.snapshot(k), linear(&t, k), "snapshot({k})");
    }
    assert_eq!(t.snapshot(t.len() + 10).at, t.len());
    // seek in place: forward steps, jumps, and back again
    let mut s = t.snapshot(0);
    for k in [
        1,
        2,
        3,
        50,
        51,
        4000,
        4100,
        9000,
        20,
        21,
        t.len(),
        7,
        t.len() + 5,
    ] {
        t.seek(&mut s, k);
        assert_eq!(s, linear(&t, k.min(t.len())), "seek({k})");
    }
}

#[test]
fn final_snapshot_agrees_with_report() {
    let src = r#"package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	ch := make(chan int)
	for i := 0; i < 5; i++ {
		go func() { ch <- i }()
	}
	time.Sleep(time.Millisecond)
	<-ch
	f, _ := os.Create("/tmp/x")
	_ = f
	fmt.Println("done")
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let s = t.snapshot(t.len());
    let r = &t.result.report;
    // four senders still parked, the one main received from never ran again
    assert_eq!(r.leaked, 5);
    assert_eq!(s.alive, r.leaked);
    let mut leaked: Vec<usize> = s
        .goroutines
        .values()
        .filter(|g| g.status != GStatus::Done)
        .map(|g| g.id)
        .collect();
    leaked.sort();
    let mut want: Vec<usize> = r.goroutines.iter().map(|g| g.id).collect();
    want.sort();
    assert_eq!(leaked, want);
    for g in &r.goroutines {
        let sg = &s.goroutines[&g.id];
        if g.wait_reason == "runnable" {
            assert_eq!(sg.status, GStatus::Runnable);
        } else {
            assert_eq!(sg.status, GStatus::Blocked);
            assert_eq!(sg.wait_reason, g.wait_reason);
        }
        assert_eq!(sg.line, g.blocked_line);
        assert_eq!(sg.created_line, g.created_line);
        assert_eq!(sg.func, g.function);
    }
    // the parked senders are the channel's queue, in the order they parked
    let ch = &s.chans[&1];
    assert_eq!(ch.senders, [2, 3, 4, 5]);
    assert!(ch.receivers.is_empty());
    let files: Vec<(i64, &str, usize)> = s
        .files
        .values()
        .map(|f| (f.fd, f.name.as_str(), f.opened_line))
        .collect();
    let want: Vec<(i64, &str, usize)> = r
        .open_files
        .iter()
        .map(|f| (f.fd, f.name.as_str(), f.opened_line))
        .collect();
    assert_eq!(files, want);
    assert_eq!(t.stdout_at(&s), t.result.stdout);
    assert_eq!(t.stderr_at(&s), t.result.stderr);
    assert_eq!(t.alive_track().last().map(|a| a.1), Some(s.alive));
}

#[test]
fn every_corpus_program_folds() {
    // STRATA_ROOT lets a scratch crate run this against the repository.
    let root =
        std::env::var("STRATA_ROOT").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    let sim = std::path::Path::new(&root).join("tests").join("sim");
    let mut files = Vec::new();
    for sub in ["cases", "syntax", "unsupported"] {
        let rd = std::fs::read_dir(sim.join(sub)).expect("tests/sim corpus directory");
        files.extend(rd.flatten().map(|e| e.path()));
    }
    files.retain(|p| p.extension().is_some_and(|x| x == "go"));
    let mut n = 0;
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        for go in [GoVersion::Go121, GoVersion::Go122] {
            let opts = SimOptions {
                trace: true,
                trace_lines: true,
                go_version: go,
                ..SimOptions::default()
            };
            let r = run(&src, "c.go", &opts);
            // tracing must not change what the program does
            let plain = run(
                &src,
                "c.go",
                &SimOptions {
                    go_version: go,
                    ..SimOptions::default()
                },
            );
            assert_eq!(
                (&r.stdout, &r.stderr, r.exit_code),
                (&plain.stdout, &plain.stderr, plain.exit_code),
                "{:?}",
                &path
            );
            assert!(serde_json::to_string(&r.trace).is_ok());
            let want_out = r.stdout.clone();
            let want_err = r.stderr.clone();
            let t = Timeline::new(r);
            let end = t.snapshot(t.len());
            assert_eq!(t.stdout_at(&end), want_out, "{:?}", &path);
            assert_eq!(t.stderr_at(&end), want_err, "{:?}", &path);
            let mid = t.snapshot(t.len() / 2);
            assert_eq!(mid, linear(&t, t.len() / 2), "{:?}", &path);
            assert!(serde_json::to_string(&mid).is_ok());
            // the end state agrees with the report
            if t.result.report.compile_error.is_none() && !t.result.trace.truncated {
                assert_eq!(end.alive, t.result.report.leaked, "{:?}", &path);
                assert_eq!(end.files.len(), t.result.report.open_files.len());
            }
            n += 1;
        }
    }
    assert!(n > 100, "only {n} corpus runs");
}

#[test]
fn receiver_parked_on_unbuffered_channel_is_in_its_queue() {
    let src = r#"package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan string)
	go func() {
		v := <-ch
		fmt.Println(v)
	}()
	time.Sleep(time.Second)
	ch <- "hi"
	time.Sleep(time.Second)
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let parked = positions(&t, |s| s.chans.get(&1).is_some_and(|c| c.receivers == [2]));
    assert!(!parked.is_empty());
    let s = t.snapshot(parked[0]);
    let c = &s.chans[&1];
    assert_eq!((c.elem.as_str(), c.cap, c.made_line), ("string", 0, 9));
    let g = &s.goroutines[&2];
    assert_eq!(g.status, GStatus::Blocked);
    assert_eq!(g.wait_reason, "chan receive");
    assert_eq!(g.line, 11);
    assert!(g.func.starts_with("main.main.func"), "{}", g.func);
    // main sleeps meanwhile
    let both = positions(&t, |s| {
        s.chans.get(&1).is_some_and(|c| c.receivers == [2])
            && s.goroutines[&1].status == GStatus::Sleeping
    });
    let s = t.snapshot(both[0]);
    assert_eq!(s.goroutines[&1].wait_reason, "sleep");
    assert_eq!(s.now_ns, 0);
    // once main sends, the queue is empty and the value is printed
    let end = t.snapshot(t.len());
    assert!(end.chans[&1].receivers.is_empty());
    assert_eq!(end.goroutines[&2].status, GStatus::Done);
    assert_eq!(end.now_ns, 2_000_000_000);
    assert_eq!(t.time_at(t.len()), 2_000_000_000);
    assert_eq!(t.time_at(0), 0);
    let recv = t.events().iter().find_map(|e| match &e.kind {
        EventKind::ChanRecv { value, ok, .. } => Some((e.goroutine, value.clone(), *ok)),
        _ => None,
    });
    assert_eq!(recv, Some((2, "hi".to_string(), true)));
}

#[test]
fn buffered_channel_shows_its_values_and_blocked_sender() {
    let src = r#"package main

import (
	"fmt"
	"time"
)

type P struct{ X, Y int }

func main() {
	ch := make(chan P, 2)
	go func() {
		for i := 1; i <= 3; i++ {
			ch <- P{i, i * 10}
		}
	}()
	time.Sleep(time.Second)
	for range 3 {
		fmt.Println(<-ch)
	}
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let full = positions(&t, |s| {
        s.chans
            .get(&1)
            .is_some_and(|c| c.buffer.len() == 2 && c.senders == [2])
    });
    assert!(
        !full.is_empty(),
        "no point with a full buffer and a parked sender"
    );
    let s = t.snapshot(full[0]);
    assert_eq!(s.chans[&1].buffer, ["{1 10}", "{2 20}"]);
    assert_eq!(s.chans[&1].elem, "main.P");
    assert_eq!(s.goroutines[&2].wait_reason, "chan send");
    // the first receive takes {1 10} and moves the parked sender's value in
    let after = positions(&t, |s| t.stdout_at(s) == "{1 10}\n");
    let s = t.snapshot(after[0]);
    assert_eq!(s.chans[&1].buffer, ["{2 20}", "{3 30}"]);
    assert!(s.chans[&1].senders.is_empty());
    assert_eq!(t.snapshot(t.len()).chans[&1].buffer, Vec::<String>::new());
}

#[test]
fn waitgroup_counts_down_and_releases_the_waiter() {
    let src = r#"package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(i)
		}()
	}
	wg.Wait()
	fmt.Println("all done")
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let mut counters = Vec::new();
    let mut waited = false;
    for i in 0..=t.len() {
        let s = t.snapshot(i);
        if let Some(w) = s.waitgroups.values().next() {
            if counters.last() != Some(&w.counter) {
                counters.push(w.counter);
            }
            if w.waiters == [1] {
                waited = true;
                assert_eq!(s.goroutines[&1].wait_reason, "sync.WaitGroup.Wait");
            }
            assert_eq!(w.line, 11);
        }
    }
    assert_eq!(counters, [1, 2, 3, 2, 1, 0]);
    assert!(waited, "main never parked in Wait");
    let end = t.snapshot(t.len());
    assert!(end.waitgroups[&1].waiters.is_empty());
    // each worker's frame showed its deferred wg.Done with the receiver frozen
    let card = t.events().iter().find_map(|e| match &e.kind {
        EventKind::DeferPush { func, closure, .. } => Some((func.clone(), *closure)),
        _ => None,
    });
    assert_eq!(card, Some(("wg.Done".to_string(), false)));
}

#[test]
fn context_cancel_reaches_children() {
    let src = r#"package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	root, cancel := context.WithCancel(context.Background())
	child, stop := context.WithTimeout(root, time.Hour)
	defer stop()
	go func() {
		<-child.Done()
		fmt.Println("worker:", child.Err())
	}()
	time.Sleep(time.Millisecond)
	cancel()
	time.Sleep(time.Millisecond)
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let before = positions(&t, |s| s.contexts.len() == 3);
    let s = t.snapshot(before[0]);
    let kinds: Vec<(&str, Option<usize>)> = s
        .contexts
        .values()
        .map(|c| (c.kind.as_str(), c.parent))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Background", None),
            ("WithCancel", Some(1)),
            ("WithTimeout", Some(2))
        ]
    );
    assert_eq!(s.contexts[&3].deadline_ns, Some(3_600_000_000_000));
    assert!(s.contexts.values().all(|c| c.err.is_none()));
    // the worker waits on the child's Done channel
    let waiting = positions(&t, |s| {
        s.goroutines
            .get(&2)
            .is_some_and(|g| g.status == GStatus::Blocked)
    });
    let s = t.snapshot(waiting[0]);
    let done = s
        .chans
        .values()
        .find(|c| c.receivers == [2])
        .map(|c| c.elem.clone());
    assert_eq!(done.as_deref(), Some("struct{}"));
    let end = t.snapshot(t.len());
    assert_eq!(end.contexts[&1].err, None);
    assert_eq!(end.contexts[&2].err.as_deref(), Some("context canceled"));
    assert_eq!(end.contexts[&3].err.as_deref(), Some("context canceled"));
    assert!(t.result.stdout.contains("worker: context canceled"));
}

const LOOP_CAPTURE: &str = r#"package main

import "fmt"

func main() {
	var fs []func()
	for i := 0; i < 3; i++ {
		fs = append(fs, func() { fmt.Print(i) })
	}
	var gs []func()
	for n, f := range fs {
		gs = append(gs, func() { f(); fmt.Print(n) })
	}
	for _, g := range gs {
		g()
	}
}
"#;

#[test]
fn loop_variables_follow_the_go_version() {
    for (go, per_iteration, out) in [
        (GoVersion::Go122, true, "001122"),
        (GoVersion::Go121, false, "323232"),
    ] {
        let t = timeline(LOOP_CAPTURE, go);
        assert_eq!(t.result.stdout, out);
        let end = t.snapshot(t.len());
        let i = end
            .loop_vars
            .iter()
            .find(|l| l.name == "i")
            .expect("loop variable i");
        assert_eq!(i.line, 7);
        assert_eq!(i.per_iteration, per_iteration);
        assert_eq!(i.value, "3");
        // 1.22: the variable of the first iteration, then one copy made
        // before each of the 3 post statements; 1.21: one variable
        assert_eq!(i.instances, if per_iteration { 4 } else { 1 });
        for name in ["n", "f"] {
            let v = end.loop_vars.iter().find(|l| l.name == name);
            let v = v.expect("range variable");
            assert_eq!((v.line, v.per_iteration), (11, per_iteration));
            assert_eq!(v.instances, if per_iteration { 3 } else { 1 });
        }
        let n = end.loop_vars.iter().find(|l| l.name == "n");
        assert_eq!(n.map(|l| l.value.as_str()), Some("2"));
        // `g` is not captured: one variable or many cannot be told apart
        assert!(end.loop_vars.iter().all(|l| l.name != "g"));
        // mid-loop the value is that of the current iteration
        let mid = positions(&t, |s| s.loop_vars.first().is_some_and(|l| l.value == "1"));
        assert!(!mid.is_empty());
    }
}

#[test]
fn panics_unwind_frames_and_recover_stops_them() {
    let src = r#"package main

import "fmt"

func inner() {
	panic("boom")
}

func outer() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	inner()
	return nil
}

func main() {
	fmt.Println(outer())
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let unwinding = positions(&t, |s| s.panicking.contains_key(&1));
    assert!(!unwinding.is_empty());
    let s = t.snapshot(unwinding[0]);
    assert_eq!(s.panicking[&1], "boom");
    let names: Vec<&str> = s.goroutines[&1]
        .frames
        .iter()
        .map(|f| f.func.as_str())
        .collect();
    assert_eq!(names, ["main", "outer", "inner"]);
    // the deferred closure runs on top of outer once inner's frame is gone
    let running = positions(&t, |s| {
        let fr = &s.goroutines[&1].frames;
        fr.len() == 3 && fr[1].func == "outer" && fr[2].func.starts_with("outer.func")
    });
    assert!(!running.is_empty());
    let s = t.snapshot(running[0]);
    assert!(
        s.goroutines[&1].frames[1].defers.is_empty(),
        "card popped when it ran"
    );
    let end = t.snapshot(t.len());
    assert!(end.panicking.is_empty());
    assert_eq!(t.result.stdout, "recovered: boom\n");
    assert_eq!(end.goroutines[&1].status, GStatus::Done);
}

#[test]
fn deferred_closure_is_marked_and_method_receivers_are_frozen() {
    let src = r#"package main

import "fmt"

type T struct{ n int }

func (t T) Show(tag string) { fmt.Println(tag, t.n) }

func main() {
	t := T{1}
	defer t.Show("value")
	defer func() { fmt.Println("closure", t.n) }()
	t.n = 2
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let full = positions(&t, |s| {
        s.goroutines[&1]
            .frames
            .last()
            .is_some_and(|f| f.defers.len() == 2)
    });
    let s = t.snapshot(full[0]);
    let cards = &s.goroutines[&1].frames[0].defers;
    assert_eq!(cards[0].func, "t.Show");
    assert_eq!(cards[0].args, ["{1}", "value"]);
    assert!(!cards[0].closure);
    assert_eq!(cards[0].line, 11);
    assert_eq!(cards[1].func, "func literal");
    assert!(cards[1].closure);
    assert!(cards[1].args.is_empty());
    assert_eq!(t.result.stdout, "closure 2\nvalue 1\n");
}

#[test]
fn mutex_holder_and_waiters() {
    let src = r#"package main

import (
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	mu.Lock()
	for i := 0; i < 2; i++ {
		go func() {
			mu.Lock()
			mu.Unlock()
		}()
	}
	time.Sleep(time.Millisecond)
	mu.Unlock()
	time.Sleep(time.Millisecond)
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let waiting = positions(&t, |s| {
        s.mutexes.get(&1).is_some_and(|m| m.waiters.len() == 2)
    });
    let s = t.snapshot(waiting[0]);
    let m = &s.mutexes[&1];
    assert_eq!(
        (m.what.as_str(), m.holder, m.line),
        ("sync.Mutex", Some(1), 10)
    );
    // the newest goroutine runs first (runnext), so it queued first
    assert_eq!(m.waiters, [3, 2]);
    assert_eq!(s.goroutines[&2].wait_reason, "sync.Mutex.Lock");
    // main's Unlock hands the lock to the first waiter
    let handed = positions(&t, |s| {
        s.mutexes.get(&1).is_some_and(|m| m.holder == Some(3))
    });
    let s = t.snapshot(handed[0]);
    assert_eq!(
        s.goroutines[&3].status,
        GStatus::Blocked,
        "granted while parked"
    );
    let s = t.snapshot(handed[0] + 1);
    assert_eq!(s.goroutines[&3].status, GStatus::Runnable);
    assert_eq!(s.mutexes[&1].waiters, [2]);
    let end = t.snapshot(t.len());
    assert_eq!(end.mutexes[&1].holder, None);
    assert!(end.mutexes[&1].waiters.is_empty());
}

#[test]
fn line_events_step_through_statements() {
    let src =
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tx := 1\n\tx++\n\tfmt.Println(x)\n}\n";
    let t = timeline(src, GoVersion::Go122);
    let lines: Vec<usize> = t
        .events()
        .iter()
        .filter(|e| e.kind == EventKind::Line)
        .map(|e| e.line)
        .collect();
    // the closing brace is a step too, as in a debugger
    assert_eq!(lines, [6, 7, 8, 9]);
    let at7 = positions(&t, |s| s.goroutines[&1].line == 7);
    assert!(!at7.is_empty());
    // without trace_lines the same run has no Line events
    let r = run(
        src,
        "t.go",
        &SimOptions {
            trace: true,
            ..SimOptions::default()
        },
    );
    assert!(r.trace.events.iter().all(|e| e.kind != EventKind::Line));
}

#[test]
fn lanes_and_alive_track_follow_goroutines() {
    let src = r#"package main

import "time"

func main() {
	for i := 0; i < 3; i++ {
		go func() { time.Sleep(time.Second) }()
	}
	time.Sleep(2 * time.Second)
}
"#;
    let t = timeline(src, GoVersion::Go122);
    let max = t.alive_track().iter().map(|a| a.1).max();
    assert_eq!(max, Some(4));
    assert_eq!(t.alive_track()[0], (0, 1));
    for (at, n) in t.alive_track() {
        assert_eq!(t.snapshot(*at).alive, *n);
    }
    assert_eq!(t.lanes().len(), 4);
    for lane in t.lanes() {
        for w in lane.spans.windows(2) {
            assert_eq!(w[0].to, w[1].from, "lane {} is contiguous", lane.goroutine);
            assert!(w[0].status != w[1].status || w[0].wait_reason != w[1].wait_reason);
        }
        // a lane's spans agree with the snapshots they cover
        for sp in &lane.spans {
            let s = t.snapshot(sp.from);
            let g = &s.goroutines[&lane.goroutine];
            assert_eq!(
                g.status, sp.status,
                "lane {} at {}",
                lane.goroutine, sp.from
            );
        }
    }
    let worker = &t.lanes()[1];
    assert!(worker.func.starts_with("main.main.func"), "{}", worker.func);
    assert_eq!(worker.created_line, 7);
    assert!(worker.spans.iter().any(|s| s.status == GStatus::Sleeping));
    assert_eq!(worker.spans.last().map(|s| s.status), Some(GStatus::Done));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const SELECTS: &str = r#"package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	a := make(chan int, 2)
	b := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	count := 0
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case v, ok := <-a:
					if !ok {
						return
					}
					mu.Lock()
					count += v
					mu.Unlock()
				case v := <-b:
					defer fmt.Println("late", v)
				case <-time.After(time.Millisecond):
				}
			}
		}()
	}
	for i := 0; i < 40; i++ {
		if i%7 == 0 {
			b <- i
		} else {
			a <- i
		}
	}
	close(a)
	wg.Wait()
	fmt.Println(count)
}
"#;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
        /// Any seed, any point: checkpoint + replay and in-place seeking
        /// agree with folding from the start.
        #[test]
        fn seeking_matches_a_linear_fold(seed in 1u64..1000, k in 0usize..100_000, j in 0usize..100_000) {
            let opts = SimOptions { trace: true, seed, ..SimOptions::default() };
            let t = Timeline::new(run(SELECTS, "p.go", &opts));
            let k = k % (t.len() + 1);
            let j = j % (t.len() + 1);
            let s = t.snapshot(k);
            prop_assert_eq!(&s, &linear(&t, k));
            let mut moved = s;
            t.seek(&mut moved, j);
            prop_assert_eq!(moved, linear(&t, j));
        }
    }
}

#[test]
fn timer_goroutines_and_timer_waits() {
    let src = r#"package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan bool)
	time.AfterFunc(time.Second, func() { done <- true })
	select {
	case <-done:
		fmt.Println("fired")
	case <-time.After(time.Hour):
		fmt.Println("timeout")
	}
	<-time.After(time.Minute)
}
"#;
    let t = timeline(src, GoVersion::Go122);
    assert_eq!(t.result.stdout, "fired\n");
    // main parks in a select on two channels, one of them a timer's
    let sel = positions(&t, |s| s.goroutines[&1].wait_reason == "select");
    let s = t.snapshot(sel[0]);
    assert_eq!(s.goroutines[&1].status, GStatus::Blocked);
    assert_eq!(s.blocked_on[&1].len(), 2);
    let waited = s.chans.values().filter(|c| c.receivers == [1]).count();
    assert_eq!(waited, 2);
    // the AfterFunc goroutine is the runtime's: no creating line
    let end = t.snapshot(t.len());
    let timer_g = &end.goroutines[&2];
    assert_eq!(timer_g.created_line, 0);
    assert_eq!(timer_g.status, GStatus::Done);
    // waiting on a timer channel alone is sleeping
    let sleeping = positions(&t, |s| {
        s.at > sel[0] && s.goroutines[&1].status == GStatus::Sleeping
    });
    assert!(!sleeping.is_empty());
    assert_eq!(end.now_ns, 61_000_000_000);
}
