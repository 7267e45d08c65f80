-- wrk script for bench/load_bench.py: POSTs a form (basket add) and reports like report.lua.
--   wrk -s bench/wrk/post.lua -H "Cookie: csrftoken=T" -H "X-CSRFToken: T" URL -- 302 "quantity=1"
-- CSRF: the csrftoken cookie and the X-CSRFToken header (same value) come from the harness as -H options.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local report_init = init

function init(args)
  report_init(args)
  wrk.method = "POST"
  wrk.body = args[2] or ""
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
