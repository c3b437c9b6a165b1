"""The readable tables of a run's figures."""

from __future__ import annotations

from typing import Any

from bench.report import Target, table, targets_table


def digest_rows(f: dict[str, Any]) -> list[tuple[str, object]]:
    d = f["digests"]
    return [
        ("people (U)", f["users"]),
        ("tasks", f["data"]["tasks"]),
        ("emails accepted by the sink", d["emails_accepted"]),
        ("mean message size (bytes)", round(d["mean_message_bytes"])),
        ("wall time, first enqueue to last accept (s)", d["wall_seconds"]),
        ("emails per second", d["emails_per_second"]),
        ("chunks", d["chunks"]),
        ("SQL statements, whole run", d["sql_statements_run"]),
        ("  with task tracking's own engine", d["sql_statements_run_with_task_tracking"]),
        ("task-tracking statements per job", d["task_tracking_statements_per_job"]),
        ("SQL statements per planning job", d["sql_statements_per_planning_job"]),
        (
            "SQL statements per chunk (min..max)",
            f"{d['sql_statements_per_chunk_min']}..{d['sql_statements_per_chunk_max']}",
        ),
        ("chunk p50 / p95 (s)", f"{d['chunk_p50_seconds']:.3f} / {d['chunk_p95_seconds']:.3f}"),
        (
            "chunk p50, first / last tenth of the run (s)",
            "{first_tenth:.3f} / {last_tenth:.3f}".format(**d["chunk_p50_drift_seconds"]),
        ),
        (
            "CPU per email by side (ms)",
            {side: round(ms, 3) for side, ms in d["cpu_ms_per_email"].items()},
        ),
        ("planning job seconds", {k: round(v, 2) for k, v in d["planning_seconds"].items()}),
        ("worker peak RSS (MB, max of processes)", d["worker_peak_rss_mb"]),
        ("ledger", d["ledger"]),
        ("sink vs ledger", d["exactly_once"]),
    ]


def limit_rows(f: dict[str, Any]) -> list[tuple[str, object]]:
    sink, render, naive, r = f["sink_limit"], f["render_limit"], f["naive"], f["ratios"]
    return [
        ("sink, one connection, pre-rendered (emails/s)", sink["emails_per_second"]),
        ("render + MIME, no SMTP (emails/s)", render["emails_per_second"]),
        ("render + MIME (ms per email)", render["ms_per_email"]),
        (f"naive baseline, {naive['users']} people (emails/s)", naive["emails_per_second"]),
        ("ours as a fraction of the sink", f"{r['of_sink_limit']:.0%}"),
        ("ours as a fraction of rendering", f"{r['of_render_limit']:.0%}"),
        ("speed-up over naive", f"{r['speedup_over_naive']:.1f}x"),
    ]


def page_rows(f: dict[str, Any]) -> list[tuple[str, object]]:
    return [
        (
            name,
            f"{p['requests_per_second']:8.1f} req/s  p50 {p['p50_ms']:6.1f}  p95 "
            f"{p['p95_ms']:6.1f}  p99 {p['p99_ms']:6.1f} ms  {p['fraction_of_ceiling']:4.0%}"
            f" of ceiling  CPU/request app {p['app_cpu_ms_per_request']:.2f}"
            f" + PostgreSQL {p['postgresql_cpu_ms_per_request']:.2f} ms  errors {p['errors']}",
        )
        for name, p in f.get("pages", {}).items()
    ]


def export_rows(f: dict[str, Any]) -> list[tuple[str, object]]:
    return [
        (
            fmt,
            f"{e['rows']:,} rows in {e['seconds']:.1f} s = {e['rows_per_second']:,.0f} rows/s,"
            f" peak RSS {e['peak_rss_mb']:.0f} MB (before export {e['rss_before_export_mb']:.0f})",
        )
        for fmt, e in f.get("export", {}).items()
    ]


def search_rows(f: dict[str, Any]) -> list[tuple[str, object]]:
    run = f.get("search", {})
    rows: list[tuple[str, object]] = [
        (
            name,
            f"p50 {q['p50_ms']:6.1f}  p95 {q['p95_ms']:6.1f} ms  CPU/request"
            f" {q['cpu_ms_per_request']:5.1f} ms (app {q['app_cpu_ms']:.1f}"
            f" + PostgreSQL {q['postgresql_cpu_ms']:.1f})  {q['results_on_page']} shown",
        )
        for name, q in run.get("queries", {}).items()
    ]
    if run.get("load"):
        before, after = run["load"]
        rows.append(("load average (1 min)", f"{before:.1f} before, {after:.1f} after"))
    return rows


def print_search_report(f: dict[str, Any]) -> None:
    """The search bench alone (--search-only): its table and its targets."""
    from bench.targets import search_targets

    data = f["search"]["data"]
    print()
    print(
        table(f"6. Search ({data['tasks']:,} tasks, {data['comments']:,} comments)", search_rows(f))
    )
    print()
    print(targets_table(search_targets(f)))
    m = f["machine"]
    print(f"\nmachine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {f['command']}")


def print_report(f: dict[str, Any], targets: list[Target]) -> None:
    print()
    print(table("1. Digest fan-out (three jobs, real workers)", digest_rows(f)))
    print()
    print(table("2-3. Limits and the naive baseline, same run", limit_rows(f)))
    if f.get("pages"):
        print()
        print(table("4. Pages (wrk against gunicorn)", page_rows(f)))
    if f.get("export"):
        print()
        print(table("5. Export", export_rows(f)))
    if f.get("search"):
        data = f["search"]["data"]
        print()
        print(
            table(
                f"6. Search ({data['tasks']:,} tasks, {data['comments']:,} comments)",
                search_rows(f),
            )
        )
    if f.get("growth"):
        print()
        print(table("Growth", list(f["growth"].items())))
    print()
    print(targets_table(targets))
    m = f["machine"]
    print(f"\nmachine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {f['command']}")
