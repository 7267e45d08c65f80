-- wrk script for bench/load_bench.py: GETs many paths in turn (one a line in a file), each thread starting at a
-- different place, and reports like report.lua. For pages behind a cache: one URL alone measures only cache hits.
--   wrk -s bench/wrk/paths.lua URL -- 200 var/bench/paths.txt

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local report_setup, report_init = setup, init
local started = 0

function setup(thread)
  report_setup(thread)
  started = started + 1
  thread:set("thread_index", started)
end

function init(args)
  report_init(args)
  paths = {}
  for line in io.lines(args[2]) do
    if line ~= "" then table.insert(paths, line) end
  end
  counter = ((thread_index or 1) * 7919) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format(nil, paths[counter])
end
