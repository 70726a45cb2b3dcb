-- expect: exit 2
-- message: mean_interval_s: must be >= 0.001
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.hours(1),
  devices = { { count = 2, traffic = { kind = "poisson", mean_interval_s = 1e-7, payload = mtc.payload.fixed(50) } } },
}
