-- expect: exit 2
-- message: devices[1].traffic: about
-- message: reports per replication need about
-- A year of 100,000 devices reporting every 10 ms (3e14 reports) cannot fit
-- in any machine's memory: refused before the run, with the estimate.
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.days(365),
  devices = { { count = 100000, traffic = mtc.traffic.periodic(0.01, mtc.payload.fixed(50)) } },
}
