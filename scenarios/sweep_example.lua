-- sweep_example.lua: a parameter sweep (mtcsim sweep). Battery life and
-- latency of a metering fleet across coupling loss, reporting period and
-- radio: 4 x 2 x 2 = 16 points, 2 replications each. Run it with
--
--   mtcsim sweep scenarios/sweep_example.lua --list      -- the points
--   mtcsim sweep scenarios/sweep_example.lua             -- all of them
--
-- and on a cluster as a job array (scripts/slurm_sweep.sh). /points gets
-- one column per swept path; /devices and /cells carry point_id.
local mtc = require "mtc"

return mtc.scenario {
  name = "sweep_example",
  duration = mtc.days(1),
  seed = 7,
  replications = 2,
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "meters",
      count = 2000,
      traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(100)),
      coverage = mtc.coverage.fixed(140),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
  sweep = {
    ["devices[1].coverage.fixed_db"] = { 130, 140, 150, 160 },
    ["devices[1].traffic.period_s"] = { mtc.hours(2), mtc.hours(24) },
    ["cell.rat"] = { "nbiot", "ltem" },
  },
}
