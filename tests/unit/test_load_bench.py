"""The pure parts of the load benchmark (bench/load_bench.py): wrk's output, ratios and targets, the table.
No wrk, gunicorn nor database here; the harness itself runs only with `make bench`."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def lb():
    spec = importlib.util.spec_from_file_location("bench_load_bench", BENCH / "load_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8123/shop/catalogue/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.03ms    4.10ms  80.22ms   90.00%
  3800 requests in 10.00s, 95.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    380.00
BENCH_RESULT {"requests": 3800, "duration_us": 10001000, "bytes": 99614720, "rps": 379.96, "p50_us": 20150, \
"p95_us": 27300, "p99_us": 41020, "mean_us": 21030.4, "max_us": 80220, "errors": {"connect": 0, "read": 1, \
"write": 0, "status": 3, "timeout": 2}, "status": {"1xx": 0, "2xx": 3795, "3xx": 2, "4xx": 1, "5xx": 2, \
"unexpected": 5}}
"""


def run(page="listing", profile="anonymous", connections=8, run_pass=1, rps=100.0, p95=10.0, requests=1000):
    return {"page": page, "profile": profile, "connections": connections, "pass": run_pass, "rps": rps,
            "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 1.5, "requests": requests, "socket_errors": 0,
            "non_2xx_3xx": 0, "unexpected_status": 0}


def test_wrk_result_is_read_from_the_lua_line_in_milliseconds(lb):
    result = lb.wrk_result_parse(WRK_OUTPUT)
    assert result["requests"] == 3800
    assert result["rps"] == 380.0
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"]) == (20.15, 27.3, 41.02)
    assert result["socket_errors"] == 3  # read + timeout: never hidden
    assert result["non_2xx_3xx"] == 3  # 4xx + 5xx
    assert result["unexpected_status"] == 5  # the 3xx answers of a page that should answer 200 count too
    assert result["status"] == {"1xx": 0, "2xx": 3795, "3xx": 2, "4xx": 1, "5xx": 2}


def test_wrk_output_without_the_lua_line_is_an_error(lb):
    with pytest.raises(ValueError, match="BENCH_RESULT"):
        lb.wrk_result_parse("unable to connect to 127.0.0.1:8123 Connection refused\n")


def test_the_lua_script_prints_every_field_the_parser_reads(lb):
    script = (BENCH / "wrk" / "report.lua").read_text()
    for name in ("requests", "duration_us", "rps", "p50_us", "p95_us", "p99_us", "mean_us", "max_us", "connect",
                 "read", "write", "timeout", "2xx", "4xx", "5xx", "unexpected"):
        assert f'"{name}": ' in script
    assert "latency:percentile(95)" in script
    post = (BENCH / "wrk" / "post.lua").read_text()
    assert 'wrk.method = "POST"' in post and "report.lua" in post
    paths = (BENCH / "wrk" / "paths.lua").read_text()
    assert "report.lua" in paths and "io.lines(args[2])" in paths


def test_a_page_of_many_paths_is_checked_on_a_sample_spread_over_them(lb, tmp_path):
    listed = tmp_path / "paths.txt"
    listed.write_text("".join(f"/shop/catalogue/p_{i}/\n" for i in range(1000)))
    page = lb.Page("product-spread", "/shop/catalogue/p_0/", paths_file=str(listed))
    samples = [p.path for p in lb.page_samples(page)]
    assert len(samples) == 20 and samples[0] == "/shop/catalogue/p_0/" and samples[-1] == "/shop/catalogue/p_950/"
    single = lb.Page("product", "/shop/catalogue/p_1/")
    assert lb.page_samples(single) == [single]


def test_ratios_are_to_the_anonymous_ceiling_of_the_same_pass_and_connection_count(lb):
    runs = [
        run("ceiling", rps=1000), run("ceiling", run_pass=2, rps=500), run("ceiling", connections=32, rps=2000),
        run("ceiling", profile="shopper", rps=400),
        run("listing", rps=600), run("listing", run_pass=2, rps=200), run("listing", connections=32, rps=600),
        run("listing", profile="shopper", rps=150),
    ]
    lb.runs_judge(runs)
    ratios = {(r["page"], r["profile"], r["pass"], r["connections"]): r["ratio"] for r in runs}
    assert ratios[("listing", "anonymous", 1, 8)] == 0.6
    assert ratios[("listing", "anonymous", 2, 8)] == 0.4  # its own pass's ceiling, not the first
    assert ratios[("listing", "anonymous", 1, 32)] == 0.3
    assert ratios[("listing", "shopper", 1, 8)] == 0.15  # against the plain ceiling, not the shopper's
    assert ratios[("ceiling", "shopper", 1, 8)] == 0.4
    verdicts = {(r["page"], r["profile"], r["pass"], r["connections"]): r["target_ok"] for r in runs}
    assert verdicts[("listing", "anonymous", 1, 8)] is True  # ≥ 0.5
    assert verdicts[("listing", "anonymous", 2, 8)] is False
    assert verdicts[("listing", "shopper", 1, 8)] is False  # < 0.2
    assert verdicts[("ceiling", "anonymous", 1, 8)] is None  # no target


def test_the_reference_is_the_higher_of_the_ceilings_at_the_start_and_end_of_the_block(lb):
    runs = [{**run("ceiling", rps=800), "at": "start"}, run("product", rps=500),
            {**run("ceiling", rps=1000), "at": "end"}]
    lb.runs_judge(runs)
    assert runs[1]["ratio"] == 0.5
    text = lb.table_format(lb.runs_ordered(runs, [lb.Page("ceiling", "/"), lb.Page("product", "/p/")]), {})
    assert [line.split()[3] for line in text.splitlines() if line.startswith("ceiling")] == ["1a", "1b"]


def test_latency_targets_judge_only_their_connection_count(lb):
    runs = [run("ceiling", rps=1000), run("ceiling", connections=32, rps=1000),
            run("search-common", p95=45), run("search-common", connections=32, p95=120),
            run("suggest", p95=31), run("basket-add", rps=150), run("basket-add", profile="shopper", rps=140)]
    lb.runs_judge(runs)
    by = {(r["page"], r["profile"], r["connections"]): r for r in runs}
    assert by[("search-common", "anonymous", 8)]["target_ok"] is True
    assert by[("search-common", "anonymous", 8)]["target"] == "p95<50"
    assert by[("search-common", "anonymous", 32)]["target_ok"] is None  # search is judged at 8 connections
    assert by[("suggest", "anonymous", 8)]["target_ok"] is False  # 31 ms ≥ 30 ms
    assert by[("basket-add", "anonymous", 8)]["target_ok"] is True  # 0.15 × ceiling
    assert by[("basket-add", "shopper", 8)]["target_ok"] is False


def test_a_run_that_answered_nothing_fails_its_target(lb):
    runs = [run("ceiling", rps=1000), run("product", rps=0.0, requests=0)]
    lb.runs_judge(runs)
    assert runs[1]["target_ok"] is False


def test_summary_passes_a_target_only_when_every_run_passed_and_lists_the_failures(lb):
    runs = [run("ceiling", rps=1000), run("ceiling", run_pass=2, rps=1000),
            run("story", rps=700), run("story", run_pass=2, rps=300)]
    lb.runs_judge(runs)
    queries = {"story/anonymous": {"cold": 30, "warm": 12}, "home/shopper": {"cold": 40, "warm": 25}}
    orders = {"p95_ms": 420.0, "placed": 70, "refused": 10, "errors": 0, "rounds": 10, "oversold": 0,
              "oversold_detail": []}
    lines = {line["target"]: line for line in lb.targets_summary(runs, queries, orders)}
    story = lines["anonymous listing, category, product, story, live ≥ 0.5 × ceiling"]
    assert story["ok"] is False and story["worst"] == 0.3 and story["failed"] == ["story/anonymous/c8"]
    assert lines["no page above 20 queries (warm)"]["failed"] == ["home/shopper (25)"]  # warm, not cold
    assert lines["order placement p95 < 500 ms, no errors"]["ok"] is True
    assert lines["never an oversold unit"]["ok"] is True
    text = lb.summary_format(list(lines.values()))
    assert "FAIL  anonymous listing" in text and "PASS  never an oversold unit" in text


def test_an_oversold_unit_or_a_failed_order_fails(lb):
    orders = {"p95_ms": 100.0, "placed": 6, "refused": 0, "errors": 2, "rounds": 1, "oversold": 1,
              "oversold_detail": ["round 1: sold 4 of 3"]}
    lines = {line["target"]: line for line in lb.targets_summary([], {}, orders)}
    assert lines["never an oversold unit"]["ok"] is False
    placement = lines["order placement p95 < 500 ms, no errors"]
    assert placement["ok"] is False and placement["failed"] == ["2 errors"]  # fast, but two orders failed


def test_a_server_error_page_is_reported_by_its_title(lb):
    html = "<!doctype html>\n<html><head>\n  <title>Server Error (500)</title>\n</head><body><h1>x</h1></body></html>"
    assert lb.page_gist(html) == "Server Error (500)"
    assert lb.page_gist("<p>Bad   <b>request</b></p>") == "Bad request"


def test_table_shows_both_runs_ratios_verdicts_errors_and_queries(lb):
    runs = [run("ceiling", rps=1000), run("ceiling", run_pass=2, rps=900),
            run("product", rps=600), {**run("product", run_pass=2, rps=300), "non_2xx_3xx": 4, "socket_errors": 2}]
    lb.runs_judge(runs)
    text = lb.table_format(runs, {"product/anonymous": {"cold": 31, "warm": 22}})
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["page", "who", "conn", "run"]
    product = [line for line in lines if line.startswith("product")]
    assert len(product) == 2  # both runs of the point
    assert re.search(r"\b0\.60\s+≥0\.5×\s+yes\b", product[0])
    assert re.search(r"\b0\.33\s+≥0\.5×\s+NO\b", product[1])
    assert re.search(r"│\s+2\s+4 │\s+31/22!$", product[1])  # errors and bad answers shown, queries flagged


def test_hidden_inputs_are_read_whatever_the_attribute_order(lb):
    html = ('<form><input type="hidden" name="csrfmiddlewaretoken" value="abc">'
            '<input name="checkout_token" value="t0k3n" type="hidden" id="id_checkout_token">'
            '<input type="text" name="street" value="1 Lê Lợi"></form>')
    assert lb.hidden_inputs(html) == {"csrfmiddlewaretoken": "abc", "checkout_token": "t0k3n"}


def test_alert_text_is_the_first_error_message(lb):
    html = ('<div class="alert alert-info">Xin chào</div>'
            '<div class="alert alert-danger fade show"><button type="button" class="close">&times;</button>'
            '<div class="alertinner">“Mắm” chỉ còn 0 sản phẩm &amp; hết</div></div>')
    assert lb.alert_text(html) == "“Mắm” chỉ còn 0 sản phẩm & hết"
    assert lb.alert_text("<p>no alert</p>") == ""


def test_percentile_is_nearest_rank(lb):
    values = list(range(1, 101))
    assert lb.percentile(values, 50) == 50
    assert lb.percentile(values, 95) == 95
    assert lb.percentile([7.0], 99) == 7.0
    assert lb.percentile([], 95) == 0.0


def test_quick_means_short_runs_at_one_connection_count(lb):
    args = lb.args_parse(["--quick", "--products", "0"])
    assert (args.duration, args.warmup, args.connections, args.runs) == (3, 1, [8], 2)
    full = lb.args_parse([])
    assert full.connections == [8, 32] and full.runs == 2 and full.products == 20_000
    assert full.profiles == ["anonymous", "shopper"]
    with pytest.raises(SystemExit):
        lb.args_parse(["--profiles", "robot"])
