-- fota.lua: a firmware update campaign (issue 18 part 2) in a TR 45.820
-- cell. 10,000 meters over the TR 45.820 coupling-loss composition report
-- 50 bytes every 2 hours (control plane, release assistance) and stay
-- reachable in DRX (2.56 s paging cycle, no PSM), for 10 days. At 1 h a 200 KB signed
-- image is delivered to all of them, by unicast (each is paged and fetches
-- it in 680-bit Cat-NB1 blocks over its own connection) or by SC-PTM (one
-- session per CE level at its worst receiver's repetitions, lost blocks
-- repaired by unicast). The sweep compares the two: /campaign (completion
-- time, downlink seconds, energy per device, the latency of the reports
-- of 2,000 other devices (hourly, PSM, not updated) during the campaign
-- against before it) and /campaign_curve (share updated against time).
--
--   mtcsim sweep scenarios/fota.lua
local mtc = require "mtc"

return mtc.scenario {
  name = "fota",
  duration = mtc.days(10),
  seed = 1,
  common_random_numbers = true, -- both modes see the same devices and reports
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "meters",
      count = 10000,
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
      count = 2000,
      traffic = mtc.traffic.periodic(mtc.hours(1), mtc.payload.fixed(50)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
  campaign = {
    mode = "unicast",
    image_bytes = 200000,
    start_s = 3600,
    groups = "meters",
  },
  sweep = {
    ["campaign.mode"] = { "unicast", "multicast" },
  },
}
