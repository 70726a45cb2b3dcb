-- power_classes.lua: devices of the three power classes (TS 36.101 Table
-- 6.2.2F-1: 23 dBm class 3, 20 dBm class 5, 14 dBm class 6 of Rel-14) over
-- the TR 45.820 coupling-loss distribution in one NB-IoT cell, each sending
-- a 200-byte report every two hours with release assistance. Shows what a
-- smaller power class costs: the share of devices out of coverage (/groups
-- out_of_coverage and edge_db), the repetitions of the rest (/devices
-- npusch_reps_mean) and the energy and battery life at its output (the
-- module's draw follows its PA curve down to the class's power).
--
-- `mtcsim run scenarios/power_classes.lua --set cell.rat=ltem` runs the
-- same fleet on LTE-M.
local mtc = require "mtc"

local function class(dbm)
  return {
    name = string.format("class_%ddbm", dbm),
    count = 3000,
    traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(200)),
    coverage = mtc.tr45820.coupling_loss(),
    module = mtc.modules.tr45820,
    battery = { capacity_wh = 5 },
    rai = true,
    tx_max_dbm = dbm,
  }
end

return mtc.scenario {
  name = "power_classes",
  duration = mtc.days(1),
  seed = 1,
  cell = { rat = "nbiot" },
  devices = { class(23), class(20), class(14) },
}
