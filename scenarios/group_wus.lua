-- group_wus.lua: Rel-16 group wake-up signals in a busy cell. 20,000
-- meters at 150 dB coupling loss stay reachable in DRX (2.56 s) or eDRX
-- (20.48 s, PTW 2.56 s) with WUS, reporting 50 bytes every 6 hours and
-- receiving a network command every 2 hours on average. With the Rel-15 WUS
-- every WUS device of a paging occasion wakes for any page there; with
-- group WUS only the paged device's group. The sweep compares
-- cell.paging.gwus_groups 0 (Rel-15 WUS), 2, 4 and 8 (one resource): see
-- /devices false_pages and the energy per device. 1,000 devices without
-- WUS read every paging message of their occasions all along.
--
--   mtcsim sweep scenarios/group_wus.lua
local mtc = require "mtc"

local function fleet(name, count, idle)
  return {
    name = name,
    count = count,
    traffic = mtc.traffic.periodic(mtc.hours(6), mtc.payload.fixed(50)),
    downlink = { traffic = mtc.traffic.poisson(mtc.hours(2), mtc.payload.fixed(20)) },
    coverage = mtc.coverage.fixed(150),
    module = mtc.modules.tr45820,
    battery = { capacity_wh = 5 },
    idle = idle,
    rai = true,
  }
end

return mtc.scenario {
  name = "group_wus",
  duration = mtc.days(1),
  seed = 1,
  cell = { rat = "nbiot", paging = { gwus_groups = 0 } },
  devices = {
    fleet("drx_wus", 10000, { psm = false, wus = true, gwus = true }),
    fleet("edrx_wus", 10000, { psm = false, edrx_cycle_s = 20.48, wus = true, gwus = true }),
    fleet("drx_nowus", 1000, { psm = false }),
  },
  sweep = {
    ["cell.paging.gwus_groups"] = { 0, 2, 4, 8 },
  },
}
