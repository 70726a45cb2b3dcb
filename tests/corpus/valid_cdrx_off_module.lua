-- expect: exit 0
local mtc = require "mtc"
return mtc.scenario {
  duration = 3600,
  cell = { cdrx = { enabled = true, cycle_sf = 10240, on_duration = 32, inactivity = 0 } },
  devices = { { count = 2, module = mtc.with(mtc.modules.bg96, { cdrx = false }) } },
}
