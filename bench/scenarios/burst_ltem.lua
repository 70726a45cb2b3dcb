-- burst_ltem.lua: no cliffs (issue 16 item 4): a TR 37.868 model 2 burst
-- of 30,000 devices (every device starts one access at a time drawn over
-- 10 s with a Beta(3, 4) density, TR 37.868 Table 6.1.1-1) on the
-- event-driven LTE-M cell (the whole procedure, not cell.ra_model), good
-- coverage, 100-byte reports, one simulated hour so the backlog drains.
-- Figures only: bench_cell bench/scenarios/burst_ltem.lua.
local mtc = require "mtc"
return mtc.scenario {
  name = "burst_ltem",
  duration = 3600,
  seed = 1,
  cell = { rat = "ltem" },
  devices = {
    {
      name = "burst",
      count = 30000,
      traffic = mtc.tr37868.model2(mtc.payload.fixed(100)),
      coverage = mtc.coverage.fixed(120),
    },
  },
}
