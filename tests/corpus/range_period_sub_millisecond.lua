-- expect: exit 2
-- message: devices[1].traffic.period_s: must be >= 0.001
-- A nanosecond period used to be rounded up to 1 us and looked like a hang.
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.hours(1),
  devices = { { count = 2, traffic = mtc.traffic.periodic(1e-9, mtc.payload.fixed(50)) } },
}
