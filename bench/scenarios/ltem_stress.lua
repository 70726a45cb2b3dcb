-- ltem_stress.lua: no cliffs (issue 16 item 4): an LTE-M cell whose uplink
-- is booked far ahead. 1,050 devices spread over the TR 45.820 coupling
-- losses (deep ones need CE mode B repetitions) each send 200 bytes every
-- minute: far more than the cell carries, so grants are searched for
-- seconds ahead. One simulated hour. Figures only:
-- bench_cell bench/scenarios/ltem_stress.lua.
local mtc = require "mtc"
return mtc.scenario {
  name = "ltem_stress",
  duration = 3600,
  seed = 1,
  cell = { rat = "ltem" },
  devices = {
    {
      name = "stress",
      count = 1050,
      traffic = mtc.traffic.periodic(60, mtc.payload.fixed(200)),
      coverage = mtc.coverage.tr45820(),
    },
  },
}
