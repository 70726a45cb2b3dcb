-- multicell.lua: 7 three-sector sites (21 cells) with wrap-around, 1,732 m
-- inter-site distance, devices placed uniformly over the layout and
-- attached to their best cell; each cell's uplink sees the interference
-- rise caused by the other cells' devices (two passes). 5,000 devices per
-- cell on average with the TR 45.820 traffic mix, one day.
local mtc = require "mtc"

return mtc.scenario {
  name = "multicell",
  duration = mtc.days(1),
  seed = 1,
  cell = { rat = "nbiot", layout_sites = 7, interference_passes = 2 },
  devices = {
    {
      name = "meters",
      count = 21 * 5000,
      traffic = mtc.tr45820.mar_periodic(),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
}
