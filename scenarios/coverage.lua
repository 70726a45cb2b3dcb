-- coverage.lua: one device at 144, 154 and 164 dB coupling loss (the MCL
-- of legacy LTE, the middle, and the NB-IoT target), each sending one
-- 100-byte report an hour, to compare access, latency and energy by
-- coverage.
local mtc = require "mtc"

local function device(name, cl)
  return {
    name = name,
    count = 1,
    traffic = mtc.traffic.periodic(mtc.hours(1), mtc.payload.fixed(100)),
    coverage = mtc.coverage.fixed(cl),
    module = mtc.modules.tr45820,
    battery = { capacity_wh = 5 },
    rai = true,
  }
end

return mtc.scenario {
  name = "coverage",
  duration = mtc.days(1),
  seed = 1,
  cell = { rat = "nbiot" },
  devices = { device("cl144", 144), device("cl154", 154), device("cl164", 164) },
}
