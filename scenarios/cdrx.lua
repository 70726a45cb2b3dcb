-- cdrx.lua: what connected-mode DRX and release assistance do to a daily
-- reporter's battery (TS 36.321 5.7).
--
-- Twenty devices per coupling loss (144, 154, 164 dB) x three ways of
-- ending the connection: release assistance (RAI: released as soon as the
-- buffer is empty), no RAI with the cell's connected-mode DRX (the network
-- releases after cell.inactivity_s, 20 s; meanwhile the device monitors
-- only its on-durations and the timers' windows), and no RAI without DRX
-- (a module that does not apply it: every search space monitored for the
-- whole 20 s). Quectel BG96 figures (scenarios/lib/modules.lua), 50-byte
-- report once a day, PSM between reports, a week. Try
-- --set cell.rat=ltem, --set cell.inactivity_s=10 or
-- --set cell.cdrx.cycle_sf=256.
local mtc = require "mtc"

local devices = {}
for _, cl in ipairs({ 144, 154, 164 }) do
  for _, way in ipairs({ { "rai", true, true }, { "drx", false, true }, { "no-drx", false, false } }) do
    devices[#devices + 1] = {
      name = string.format("%d/%s", cl, way[1]),
      count = 20,
      traffic = mtc.traffic.periodic(mtc.days(1), mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(cl),
      module = mtc.with(mtc.modules.bg96, { cdrx = way[3] }),
      idle = { psm = true, t3324_s = 0 },
      rai = way[2],
    }
  end
end

return mtc.scenario {
  name = "cdrx",
  duration = mtc.days(7),
  seed = 1,
  cell = { rat = "nbiot" },
  devices = devices,
}
