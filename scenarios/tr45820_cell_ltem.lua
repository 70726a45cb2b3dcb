-- tr45820_cell_ltem.lua: the TR 45.820 capacity cell on an LTE-M cell (the
-- same fleet as tr45820_cell.lua; bench_cell runs it as the LTE-M figure).
--
-- 52,547 devices in one sector (40 devices per household x 1,517
-- households/km2 x 0.866 km2, TR 45.820), the Annex E periodic reporting mix
-- with Pareto payloads, the TR 45.820 coupling-loss composition (hexagonal
-- sector with 1,732 m inter-site distance, path loss, shadowing, building
-- penetration), control-plane data with release assistance, one day.
local mtc = require "mtc"

return mtc.scenario {
  name = "tr45820_cell_ltem",
  duration = mtc.days(1),
  seed = 1,
  cell = { rat = "ltem" },
  devices = {
    {
      name = "mar_periodic",
      count = 52547,
      traffic = mtc.tr45820.mar_periodic(),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
}
