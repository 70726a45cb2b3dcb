-- burst_nbiot.lua: no cliffs (issue 16 item 4): a TR 37.868 model 2 burst
-- of 30,000 devices (every device starts one access at a time drawn over
-- 10 s with a Beta(3, 4) density, TR 37.868 Table 6.1.1-1) on the
-- event-driven NB-IoT cell (the whole procedure, not cell.ra_model), good
-- coverage, 100-byte reports, one simulated hour so the backlog drains.
-- Figures only: bench_cell bench/scenarios/burst_nbiot.lua.
local mtc = require "mtc"
return mtc.scenario {
  name = "burst_nbiot",
  duration = 3600,
  seed = 1,
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "burst",
      count = 30000,
      traffic = mtc.tr37868.model2(mtc.payload.fixed(100)),
      coverage = mtc.coverage.fixed(120),
    },
  },
}
