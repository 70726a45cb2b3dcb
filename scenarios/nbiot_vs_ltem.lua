-- nbiot_vs_ltem.lua: the same fleet on an NB-IoT carrier and on an LTE-M
-- narrowband, battery life and latency side by side.
--
-- Seven groups of 100 devices, each reporting 200 bytes every 2 hours from
-- PSM with release assistance, at fixed coupling losses from 125 to 160 dB
-- and with the TR 45.820 coupling-loss distribution (basements included).
-- Run it on each radio and compare:
--
--   scripts/nbiot_vs_ltem.sh            (runs both and prints the table)
--   mtcsim run scenarios/nbiot_vs_ltem.lua                 -- NB-IoT
--   mtcsim run scenarios/nbiot_vs_ltem.lua --set cell.rat=ltem
--
-- The cell sets only the radio, so each radio runs with its own defaults:
-- NB-IoT three CE levels on a 43 dBm 180 kHz carrier (MCL 164 dB), LTE-M
-- four CE levels in one narrowband of a 46 dBm 10 MHz carrier (MCL 155.7 dB at
-- 20 dBm and a 5 dB noise figure: 160.7 dB with the 23 dBm link).
-- The module is the TR 45.820 one on both; LTE-M receives with
-- cell.rx_bw_factor (1.25) times its rx_mw.
local mtc = require "mtc"

local devices = {}
local function group(name, coverage)
  devices[#devices + 1] = {
    name = name,
    count = 100,
    traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(200)),
    coverage = coverage,
    module = mtc.modules.tr45820,
    battery = { capacity_wh = 5 },
    rai = true,
  }
end
for _, cl in ipairs({ 125, 135, 145, 150, 155, 160 }) do
  group("cl" .. cl, mtc.coverage.fixed(cl))
end
group("tr45820", mtc.tr45820.coupling_loss())

return mtc.scenario {
  name = "nbiot_vs_ltem",
  duration = mtc.days(2),
  seed = 3,
  cell = { rat = "nbiot" },
  devices = devices,
}
