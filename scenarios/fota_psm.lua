-- fota_psm.lua: a firmware update campaign for devices in PSM (issue 18
-- part 2). 100 meters over the TR 45.820 coupling-loss composition report
-- 50 bytes hourly and sleep in PSM between reports (T3324 0: unreachable
-- right after each release). A 20 KB image is announced at 600 s. Unicast:
-- a PSM device cannot be paged, so each fetches the image at its next
-- report's connection. SC-PTM: rounds every hour; the first finds nobody
-- listening, a device told of the campaign at its next connection stays
-- reachable (light sleep, energy procedure fota) until the next round,
-- then returns to PSM (its T3412 and T3324 run on through the session:
-- no NAS signalling, TS 24.301 5.3.5). The sweep runs both modes on
-- NB-IoT and LTE-M.
--
--   mtcsim sweep scenarios/fota_psm.lua
local mtc = require "mtc"

return mtc.scenario {
  name = "fota_psm",
  duration = mtc.hours(3),
  seed = 1,
  common_random_numbers = true,
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "meters",
      count = 100,
      traffic = mtc.traffic.periodic(mtc.hours(1), mtc.payload.fixed(50)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      idle = { psm = true, t3324_s = 0 },
      rai = true,
    },
  },
  campaign = {
    mode = "multicast",
    image_bytes = 20000,
    start_s = 600,
    groups = "meters",
    multicast = { repeat_s = 3600 },
  },
  sweep = {
    ["cell.rat"] = { "nbiot", "ltem" },
    ["campaign.mode"] = { "unicast", "multicast" },
  },
}
