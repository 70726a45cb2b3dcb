-- idle_modes.lua: how a device sleeps decides its battery life and how fast
-- the network reaches it. Ten groups of 100 devices at 150 dB coupling loss,
-- each reporting 50 bytes every 2 hours and receiving a 20-byte network
-- command (TR 45.820 network command) every 6 hours on average, in:
-- DRX 2.56 s, eDRX 20.48 s, 81.92 s, 655.36 s (PTW 2.56 s), and PSM
-- (active time 20 s, periodic TAU 1 h), each without and with WUS.
-- Compare battery life ("life y") and command latency (dl_latency_ms_* in
-- /devices) across the groups.
local mtc = require "mtc"

local modes = {
  { "drx2.56", { psm = false } },
  { "edrx20", { psm = false, edrx_cycle_s = 20.48 } },
  { "edrx82", { psm = false, edrx_cycle_s = 81.92 } },
  { "edrx655", { psm = false, edrx_cycle_s = 655.36 } },
  { "psm", { psm = true, t3324_s = 20, t3412_s = mtc.hours(1) } },
}

local devices = {}
for _, wus in ipairs({ false, true }) do
  for _, m in ipairs(modes) do
    local idle = mtc.copy(m[2])
    idle.wus = wus
    devices[#devices + 1] = {
      name = m[1] .. (wus and "+wus" or ""),
      count = 100,
      traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(50)),
      downlink = { traffic = mtc.traffic.poisson(mtc.hours(6), mtc.payload.fixed(20)) },
      coverage = mtc.coverage.fixed(150),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      idle = idle,
      rai = true,
    }
  end
end

return mtc.scenario {
  name = "idle_modes",
  duration = mtc.days(2),
  seed = 1,
  cell = { rat = "nbiot" },
  devices = devices,
}
