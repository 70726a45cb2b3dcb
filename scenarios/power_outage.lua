-- power_outage.lua: a district's meters come back after a power outage.
-- 1,000 NB-IoT meters over the TR 45.820 coupling-loss distribution all
-- report within 10 s of the power returning (TR 37.868 traffic model 2:
-- start times Beta(3, 4) over 10 s), then nothing but their daily
-- schedule. The time series (/timeseries, one row per second) shows what
-- the cell goes through: preambles and collisions per CE level, random
-- access completed and given up, reports delivered, the uplink and
-- downlink load, devices connected and the fleet's power against the
-- time since the outage; /trace follows three meters step by step. Run it
-- with
--
--   mtcsim run scenarios/power_outage.lua
--   mtcsim-report power_outage.h5            -- the time-series plots
local mtc = require "mtc"

return mtc.scenario {
  name = "power_outage",
  duration = 600, -- ten minutes after the power returns
  seed = 3,
  cell = { rat = "nbiot" },
  timeseries = { interval_s = 1 },
  trace = { devices = { 1, 2, 3 } }, -- three meters' every step in /trace
  devices = {
    {
      name = "meters",
      count = 1000,
      traffic = mtc.tr37868.model2(mtc.payload.fixed(100)),
      coverage = mtc.coverage.tr45820(),
    },
  },
}
