-- overload_nbiot.lua: no cliffs past capacity (issue 16 item 4): the
-- TR 45.820 capacity cell (scenarios/tr45820_cell.lua) at 175,000 devices,
-- 3.3 times the load it was dimensioned for, for two simulated hours: the
-- backlog grows and grants are searched for far ahead on a booked downlink
-- and uplink. Figures only: bench_cell bench/scenarios/overload_nbiot.lua.
local mtc = require "mtc"
return mtc.scenario {
  name = "overload_nbiot",
  duration = 7200,
  seed = 1,
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "mar_periodic",
      count = 175000,
      traffic = mtc.tr45820.mar_periodic(),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
}
