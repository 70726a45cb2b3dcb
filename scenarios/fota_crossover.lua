-- fota_crossover.lua: from which fleet size SC-PTM multicast beats unicast
-- for a 200 KB firmware image (issue 18 part 2). Fleets of 1 to 300 meters
-- over the TR 45.820 coupling-loss composition (DRX, reporting 50 bytes
-- every 2 hours), the image at 1 h by unicast (paged, at most 32 at a
-- time) or by SC-PTM (a session per CE level at its worst receiver's
-- repetitions, lost blocks repaired by unicast). Every point runs on the
-- same seed, so a fleet of n is the first n devices of the next larger
-- one... only as far as the coverage draws go (each device its own keyed
-- stream). 200 other devices (hourly reports, PSM) share the cell and are
-- not updated. Compare /campaign dl_s (the cell's downlink time), done_s_p90
-- and radio_j_mean per fleet size and mode.
--
--   mtcsim sweep scenarios/fota_crossover.lua
local mtc = require "mtc"

return mtc.scenario {
  name = "fota_crossover",
  duration = mtc.days(2),
  seed = 1,
  replications = 3,
  common_random_numbers = true,
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "meters",
      count = 10,
      traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(50)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      idle = { psm = false },
      rai = true,
    },
    {
      -- the cell's other traffic, not updated: how much later its reports arrive
      name = "others",
      count = 200,
      traffic = mtc.traffic.periodic(mtc.hours(1), mtc.payload.fixed(50)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
  campaign = { mode = "unicast", image_bytes = 200000, start_s = 3600, groups = "meters" },
  sweep = {
    ["campaign.mode"] = { "unicast", "multicast" },
    ["devices[1].count"] = { 1, 2, 3, 5, 10, 30, 100, 300 },
  },
}
