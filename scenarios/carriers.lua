-- carriers.lua: capacity against the number of NB-IoT carriers (Rel-14
-- non-anchor carriers). 60,000 meters over the TR 45.820 coupling losses
-- report 50 bytes every 20 minutes on average (Poisson, 50 reports a
-- second), more than one 180 kHz carrier carries; the sweep adds 0, 1, 3
-- and 7 non-anchor carriers, each with its own NPRACH (the accesses spread
-- evenly: nprach_probability_anchor -1), paging and timelines, the
-- connections balanced over them. Compare /cells reports delivered, latency,
-- collisions and per-carrier utilisation.
--
--   mtcsim sweep scenarios/carriers.lua
local mtc = require "mtc"

return mtc.scenario {
  name = "carriers",
  duration = mtc.minutes(30),
  seed = 1,
  cell = { rat = "nbiot", carriers = { non_anchor = 0, data = "balanced" } },
  devices = {
    {
      name = "meters",
      count = 60000,
      traffic = mtc.traffic.poisson(1200, mtc.payload.fixed(50)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
  sweep = {
    ["cell.carriers.non_anchor"] = { 0, 1, 3, 7 },
  },
}
